/**
 * Pure decisions of one DATA_account_summary_1_minute run: which instant it
 * snapshots, which transfer window each portfolio reports, and when a
 * portfolio is under its threshold or stale.
 */
import type { ExchangeName, Portfolio } from '../../domain/portfolio.js';
import { EXCHANGE_NAMES } from '../../domain/portfolio.js';

/** Transfer window of a portfolio without an earlier snapshot: one interval of this job. */
export const DEFAULT_WINDOW_MS = 60_000;

/**
 * The run's one `current_time`: its scheduled time truncated to the second,
 * never the wall clock, so a retried or late run of the same fire writes the
 * same keys and overwrites instead of adding rows.
 */
export function snapshotTime(scheduledAt: Date): Date {
  return new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000);
}

/** Start of the transfer window: the portfolio's previous snapshot, or one interval back. */
export function transferSince(previous: Date | undefined, currentTime: Date): Date {
  return previous ?? new Date(currentTime.getTime() - DEFAULT_WINDOW_MS);
}

/** SPEC 12: at or below the threshold alerts; a portfolio without one never does. */
export function isUnderThreshold(portfolio: Portfolio, totalUsdValue: number): boolean {
  return portfolio.positionThreshold !== null && totalUsdValue <= portfolio.positionThreshold;
}

/** Whether a portfolio whose newest snapshot is `latest` has gone `staleAfterMs` without one at `currentTime`. */
export function isStale(latest: Date, currentTime: Date, staleAfterMs: number): boolean {
  return currentTime.getTime() - latest.getTime() >= staleAfterMs;
}

export function isExchangeName(name: string): name is ExchangeName {
  return (EXCHANGE_NAMES as readonly string[]).includes(name);
}
