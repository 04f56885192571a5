import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chain } from '../../src/performance/chain.js';
import type { Point } from '../../src/performance/types.js';
import type { PerformanceRow } from '../../src/domain/performance-row.js';

const T0 = Date.UTC(2024, 0, 1);
const cents = (min: number, max: number) => fc.integer({ min, max }).map((c) => c / 100);

/** Strictly increasing times with gaps; values that include the edge cases (0, negative, transfers). */
const history = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 1, max: 3600 }),
      value: fc.oneof(fc.constant(0), cents(10_000, 1_000_000), cents(-5_000, 0)),
      adjustment: fc.oneof(fc.constant(0), cents(-500_000, 500_000)),
    }),
    { maxLength: 60 },
  )
  .map((steps) => {
    let t = T0;
    return steps.map(({ gap, value, adjustment }): Point => ({ t: new Date((t += gap * 1000)), value, adjustment }));
  });

/** Runs: [start, end) windows. Each start may reach back (re-feeding processed points); each end never moves backwards. */
const runsOver = (n: number) =>
  fc.array(fc.record({ back: fc.nat(), advance: fc.nat() }), { maxLength: 12 }).map((runs) => {
    let end = 0;
    const windows = runs.map(({ back, advance }) => {
      const next = Math.min(n, end + (advance % (n + 1)));
      const start = Math.max(0, end - (back % (end + 1)));
      end = next;
      return [start, next] as const;
    });
    return [...windows, [0, n] as const]; // a final catch-up run, as the next live run would do
  });

describe('chain: chunked runs equal one run', () => {
  it('gives identical rows however the history is split, doubled or re-fed', () => {
    fc.assert(
      fc.property(
        history.chain((h) => fc.tuple(fc.constant(h), runsOver(h.length))),
        ([points, windows]) => {
          const whole = [...chain('k', null, points)];
          const pieces: PerformanceRow[] = [];
          for (const [start, end] of windows) pieces.push(...chain('k', pieces.at(-1) ?? null, points.slice(start, end)));
          expect(pieces).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every row finite and within the invariants', () => {
    fc.assert(
      fc.property(history, (points) => {
        let prevMdd = 0;
        for (const row of chain('k', null, points)) {
          for (const v of [row.nav, row.crr, row.cd, row.mdd, row.historyHigh, row.currentReturn]) expect(Number.isFinite(v)).toBe(true);
          expect(row.nav).toBeGreaterThanOrEqual(0);
          expect(row.historyHigh).toBeGreaterThanOrEqual(Math.max(100, row.nav));
          expect(row.cd).toBeGreaterThanOrEqual(-1);
          expect(row.cd).toBeLessThanOrEqual(0);
          expect(row.mdd).toBeLessThanOrEqual(Math.min(row.cd, prevMdd));
          expect(row.currentReturn).toBeGreaterThanOrEqual(-1);
          prevMdd = row.mdd;
        }
      }),
      { numRuns: 300 },
    );
  });
});
