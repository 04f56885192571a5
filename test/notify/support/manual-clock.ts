import type { NotifyClock } from '../../../src/notify/clock.js';

/** A clock whose time moves only when told; sleeps are recorded and return at once. */
export class ManualClock implements NotifyClock {
  readonly sleeps: number[] = [];

  constructor(private nowMs = Date.UTC(2025, 0, 1)) {}

  now(): number {
    return this.nowMs;
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    signal?.throwIfAborted();
  }
}
