import { DateTime } from 'luxon';
import type { PerformanceRow } from '../domain/performance-row.js';

/** What the statistics read from a row; `PerformanceRow` fits. Arrays must be in increasing time order. */
export type NavSample = Pick<PerformanceRow, 'currentTime' | 'nav'>;

const DAY_MS = 86_400_000;
/** Crypto trades every day of the year, so daily figures annualise over 365 days, not 252. */
export const PERIODS_PER_YEAR = 365;

/**
 * NAV at the latest sample over NAV at the last sample at or before `start`,
 * minus 1. Null when there is no sample at or before `start` (the history is
 * younger than the period: a since-inception figure would be mislabelled) or
 * when that base NAV is 0.
 */
export function periodReturn(samples: readonly NavSample[], start: Date): number | null {
  const latest = samples.at(-1);
  const base = lastAtOrBefore(samples, start.getTime());
  if (latest === undefined || base === undefined || base.nav === 0) return null;
  return latest.nav / base.nav - 1;
}

export interface PeriodReturns {
  readonly d1: number | null;
  readonly d7: number | null;
  readonly d30: number | null;
  /** Since the last sample at or before 1 January 00:00 of the latest sample's year in `timeZone`. */
  readonly ytd: number | null;
  /** Latest NAV over the first sample's NAV. */
  readonly all: number | null;
}

/**
 * Period returns ending at the latest sample (not at the wall clock, so a
 * stale series is not silently stretched): 1d, 7d and 30d go back 24h, 7×24h
 * and 30×24h from it.
 * @param timeZone IANA zone for the year boundary @default 'Asia/Taipei' (SPEC 11's display zone)
 */
export function periodReturns(samples: readonly NavSample[], timeZone = 'Asia/Taipei'): PeriodReturns {
  const latest = samples.at(-1);
  const first = samples[0];
  if (latest === undefined || first === undefined) return { d1: null, d7: null, d30: null, ytd: null, all: null };
  const end = latest.currentTime.getTime();
  const yearStart = DateTime.fromJSDate(latest.currentTime, { zone: timeZone }).startOf('year');
  if (!yearStart.isValid) throw new RangeError(`unknown time zone "${timeZone}"; use an IANA name such as "Asia/Taipei"`);
  return {
    d1: periodReturn(samples, new Date(end - DAY_MS)),
    d7: periodReturn(samples, new Date(end - 7 * DAY_MS)),
    d30: periodReturn(samples, new Date(end - 30 * DAY_MS)),
    ytd: periodReturn(samples, yearStart.toJSDate()),
    all: periodReturn(samples, first.currentTime),
  };
}

/** Binary search: the last sample at or before `ms`. */
function lastAtOrBefore(samples: readonly NavSample[], ms: number): NavSample | undefined {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as NavSample).currentTime.getTime() <= ms) lo = mid + 1;
    else hi = mid;
  }
  return samples[lo - 1];
}

/**
 * Daily returns: the last NAV of each UTC day with samples, each over the
 * previous such day's, minus 1. A day without samples yields no return (the
 * next return spans the gap); a return from a NAV of 0 is undefined and left out.
 */
export function dailyReturns(samples: Iterable<NavSample>): number[] {
  const closes: number[] = [];
  let day: number | null = null;
  for (const s of samples) {
    const d = Math.floor(s.currentTime.getTime() / DAY_MS);
    if (d === day) closes[closes.length - 1] = s.nav;
    else closes.push(s.nav);
    day = d;
  }
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const prev = closes[i - 1] as number;
    if (prev !== 0) returns.push((closes[i] as number) / prev - 1);
  }
  return returns;
}

/** Annualised volatility: sample standard deviation (n - 1) of daily returns × √365. Null under 2 returns. */
export function volatility(returns: readonly number[]): number | null {
  const sd = sampleStd(returns);
  return sd === null ? null : sd * Math.sqrt(PERIODS_PER_YEAR);
}

/**
 * Annualised Sharpe ratio: mean / sample std of daily excess returns × √365,
 * the excess being over `riskFree / 365` (a simple annual rate). Null under 2
 * returns or when the std is 0 (undefined rather than infinite).
 * @param riskFree annual rate @default 0
 */
export function sharpe(returns: readonly number[], riskFree = 0): number | null {
  const excess = returns.map((r) => r - riskFree / PERIODS_PER_YEAR);
  const sd = sampleStd(excess);
  return sd === null || sd === 0 ? null : (mean(excess) / sd) * Math.sqrt(PERIODS_PER_YEAR);
}

/**
 * Annualised Sortino ratio: mean daily excess return over the downside
 * deviation × √365. Downside deviation = √(Σ min(0, excess)² / n) over all n
 * returns (the usual target semi-deviation, target = riskFree / 365). Null
 * under 2 returns or without any return below target.
 * @param riskFree annual rate @default 0
 */
export function sortino(returns: readonly number[], riskFree = 0): number | null {
  if (returns.length < 2) return null;
  const excess = returns.map((r) => r - riskFree / PERIODS_PER_YEAR);
  const downside = Math.sqrt(excess.reduce((sum, e) => sum + Math.min(0, e) ** 2, 0) / excess.length);
  return downside === 0 ? null : (mean(excess) / downside) * Math.sqrt(PERIODS_PER_YEAR);
}

/**
 * Maximum drawdown within [from, to] (inclusive, both optional): the lowest
 * NAV / running peak - 1, the peak counted from the window's first sample only
 * (so it differs from the stored `mdd`, which spans the whole history). 0 for
 * a window with one sample, null for an empty one. In [-1, 0].
 */
export function maxDrawdown(samples: Iterable<NavSample>, from?: Date, to?: Date): number | null {
  let peak = -Infinity;
  let worst: number | null = null;
  for (const s of samples) {
    const ms = s.currentTime.getTime();
    if ((from !== undefined && ms < from.getTime()) || (to !== undefined && ms > to.getTime())) continue;
    peak = Math.max(peak, s.nav);
    const dd = peak === 0 ? 0 : s.nav / peak - 1;
    worst = worst === null ? dd : Math.min(worst, dd);
  }
  return worst;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sampleStd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((sum, x) => sum + (x - m) ** 2, 0) / (xs.length - 1));
}
