import type { PerformanceRow } from '../domain/performance-row.js';
import { type ChainSeed, type Point, PerformanceInputError, describeTime } from './types.js';

/** The first-row rule of SPEC 13. */
const FIRST_NAV = 100;

/**
 * One step of the SPEC 13 recurrence for `key`.
 *
 * Returns `undefined` when the point yields no row:
 * - it is at or before `prev.currentTime` (already processed: exactly once per time), or
 * - V and A are both 0 (SPEC 13 drops such keys; the state stays on the previous row).
 *
 * Throws `PerformanceInputError` for an invalid time, a non-finite V or A of a
 * point that would be processed, a corrupt `prev`, or a NAV that overflows.
 */
export function chainStep(key: string, prev: ChainSeed | null, point: Point): PerformanceRow | undefined {
  const ms = validTime(key, point.t);
  if (prev !== null && ms <= validSeed(key, prev)) return undefined;
  if (!Number.isFinite(point.value) || !Number.isFinite(point.adjustment)) {
    throw new PerformanceInputError(key, point.t, `V and A must be finite numbers, got V=${point.value}, A=${point.adjustment}`);
  }
  if (point.value === 0 && point.adjustment === 0) return undefined;
  const currentTime = new Date(ms);
  if (prev === null) {
    return { key, currentTime, totalUsdValue: point.value, historyHigh: FIRST_NAV, nav: FIRST_NAV, currentReturn: 0, crr: 0, cd: 0, mdd: 0 };
  }
  const currentReturn = stepReturn(prev.totalUsdValue, point);
  const nav = prev.nav * (1 + currentReturn);
  if (!Number.isFinite(nav)) throw new PerformanceInputError(key, point.t, `NAV overflowed (previous NAV ${prev.nav}, return ${currentReturn})`);
  const historyHigh = Math.max(nav, prev.historyHigh);
  const cd = nav / historyHigh - 1;
  return {
    key,
    currentTime,
    totalUsdValue: point.value,
    historyHigh,
    nav,
    currentReturn,
    crr: (1 + prev.crr) * (1 + currentReturn) - 1,
    cd,
    mdd: Math.min(cd, prev.mdd),
  };
}

/**
 * `(V_t + A_t - V_prev) / V_prev`, with two documented guards:
 * - V_prev <= 0: there is no capital to measure a return against (an emptied
 *   account, or negative equity where the ratio's sign flips), so the return is
 *   0 and NAV is kept; the next point measures from this point's V, which
 *   restarts the base as soon as the value is positive again.
 * - a return below -1 (net value below zero) is clamped to -1: a time-weighted
 *   index cannot lose more than everything, and NAV, cd and mdd stay in range.
 */
function stepReturn(previousValue: number, point: Point): number {
  if (previousValue <= 0) return 0;
  return Math.max(-1, (point.value + point.adjustment - previousValue) / previousValue);
}

/**
 * Streams the rows of `key` for `points`, continuing from `seed` (the key's last
 * stored row, or null for a key without rows). O(1) memory.
 *
 * `points` must be in strictly increasing time order (the warehouse is unique on
 * (key, time)); points at or before the seed's time are skipped, which is what
 * lets every run re-read an overlapping window safely.
 */
export function* chain(key: string, seed: ChainSeed | null, points: Iterable<Point>): Generator<PerformanceRow> {
  let state = seed;
  const order = increasingTimes(key);
  for (const point of points) {
    order(point.t);
    const row = chainStep(key, state, point);
    if (row !== undefined) {
      state = row;
      yield row;
    }
  }
}

/** A checker that throws unless successive times are valid and strictly increasing; returns the time in ms. */
export function increasingTimes(key: string): (t: Date) => number {
  let last: Date | null = null;
  return (t) => {
    const ms = validTime(key, t);
    if (last !== null && ms <= last.getTime()) {
      throw new PerformanceInputError(key, t, `points must be in strictly increasing time order, but it follows ${describeTime(last)}`);
    }
    last = t;
    return ms;
  };
}

function validTime(key: string, t: Date): number {
  const ms = t.getTime();
  if (Number.isNaN(ms)) throw new PerformanceInputError(key, null, 'a point has an invalid time');
  return ms;
}

/** Checks a seed once per use, since it may come straight from storage; returns its time in ms. */
function validSeed(key: string, seed: ChainSeed): number {
  const ms = seed.currentTime.getTime();
  const numbers = [seed.totalUsdValue, seed.nav, seed.crr, seed.historyHigh, seed.mdd];
  if (Number.isNaN(ms) || !numbers.every(Number.isFinite) || !(seed.historyHigh > 0) || seed.nav < 0) {
    throw new PerformanceInputError(
      key,
      Number.isNaN(ms) ? null : seed.currentTime,
      `the seed row is corrupt (needs finite numbers, history_high > 0, nav >= 0): ${JSON.stringify(seed)}`,
    );
  }
  return ms;
}
