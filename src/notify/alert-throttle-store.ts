/**
 * Remembers when each alert key last went out, so an alert's cooldown holds
 * across job runs and, with a shared store, across the instances of a cluster.
 */
export interface AlertThrottleStore {
  /**
   * Atomically decides whether an alert may go out now, and if so records it.
   * True when no alert under `key` went out within `cooldownSec` before `now`,
   * or when `messageHash` is not null and differs from the hash last recorded
   * for `key` (dedupe: only repeats of the same message are held back).
   * A null `messageHash` throttles the key whatever the message.
   * Two concurrent claims for the same key never both return true within a cooldown.
   */
  claim(key: string, messageHash: string | null, now: Date, cooldownSec: number): Promise<boolean>;
}
