import type { AlertThrottleStore } from './alert-throttle-store.js';

/**
 * Throttle state in this process's memory: shared by every alerter of the
 * process (create one and pass it around), lost on restart, not shared with
 * other instances. Holds one entry per key ever used.
 */
export class MemoryAlertThrottleStore implements AlertThrottleStore {
  private readonly lastSent = new Map<string, { messageHash: string | null; at: number }>();

  // Synchronous inside: nothing can interleave between the check and the record.
  async claim(key: string, messageHash: string | null, now: Date, cooldownSec: number): Promise<boolean> {
    const last = this.lastSent.get(key);
    const coolingDown = last !== undefined && now.getTime() - last.at < cooldownSec * 1000;
    const repeated = messageHash === null || last?.messageHash === messageHash;
    if (coolingDown && repeated) return false;
    this.lastSent.set(key, { messageHash, at: now.getTime() });
    return true;
  }
}
