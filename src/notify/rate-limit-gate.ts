/**
 * Discord's global rate limit (a 429 with `global: true`) applies to every
 * request from this client to the host, not just the webhook that got it. One
 * gate is shared by all the webhooks of a process so that they all hold off.
 */
export class HostRateLimitGate {
  private readonly pausedUntil = new Map<string, number>();

  /** Holds posts to `host` until `untilMs` (epoch ms); an earlier pause never shortens a later one. */
  pause(host: string, untilMs: number): void {
    this.pausedUntil.set(host, Math.max(untilMs, this.pausedUntil.get(host) ?? 0));
  }

  /** How long a post to `host` must still wait at `nowMs` (0: go). */
  remainingMs(host: string, nowMs: number): number {
    const until = this.pausedUntil.get(host);
    if (until === undefined) return 0;
    if (until <= nowMs) {
      this.pausedUntil.delete(host);
      return 0;
    }
    return until - nowMs;
  }
}
