import { describe, expect, it } from 'vitest';
import { chain, chainStep } from '../../src/performance/chain.js';
import { PerformanceInputError, type Point } from '../../src/performance/types.js';
import type { PerformanceRow } from '../../src/domain/performance-row.js';

const T0 = Date.UTC(2024, 0, 1);
const at = (minute: number): Date => new Date(T0 + minute * 60_000);
const pts = (...vs: [number, number][]): Point[] => vs.map(([value, adjustment], i) => ({ t: at(i), value, adjustment }));
const run = (points: Point[], seed: PerformanceRow | null = null): PerformanceRow[] => [...chain('p', seed, points)];

describe('chain (SPEC 13 recurrence)', () => {
  it('applies the first-row rule', () => {
    expect(run(pts([1000, 250]))).toEqual([
      { key: 'p', currentTime: at(0), totalUsdValue: 1000, historyHigh: 100, nav: 100, currentReturn: 0, crr: 0, cd: 0, mdd: 0 },
    ]);
  });

  it('tracks NAV, drawdown and recovery', () => {
    const [, up, down, back] = run(pts([1000, 0], [1100, 0], [990, 0], [1210, 0]));
    expect(up).toMatchObject({ currentReturn: 0.1, crr: expect.closeTo(0.1, 12), cd: 0, mdd: 0 });
    expect(up?.nav).toBeCloseTo(110, 12);
    expect(up?.historyHigh).toBeCloseTo(110, 12);
    expect(down?.currentReturn).toBeCloseTo(-0.1, 12);
    expect(down?.nav).toBeCloseTo(99, 12);
    expect(down?.historyHigh).toBeCloseTo(110, 12);
    expect(down?.cd).toBeCloseTo(-0.1, 12);
    expect(down?.mdd).toBeCloseTo(-0.1, 12);
    expect(down?.crr).toBeCloseTo(-0.01, 12);
    expect(back?.currentReturn).toBeCloseTo(220 / 990, 12);
    expect(back?.nav).toBeCloseTo(121, 12);
    expect(back?.historyHigh).toBeCloseTo(121, 12);
    expect(back?.cd).toBe(0);
    expect(back?.mdd).toBeCloseTo(-0.1, 12);
    expect(back?.crr).toBeCloseTo(0.21, 12);
  });

  it('does not count transfers in or out as returns, but counts the gain beside them', () => {
    const rows = run(pts([1000, 0], [1500, -500], [500, 1000], [1550, -1000]));
    expect(rows.map((r) => r.currentReturn)).toEqual([0, 0, 0, expect.closeTo(0.1, 12)]);
    expect(rows.map((r) => r.totalUsdValue)).toEqual([1000, 1500, 500, 1550]);
    expect(rows[3]?.nav).toBeCloseTo(110, 12);
  });

  it('drops a point whose V and A are both 0 and measures the next one from the last row', () => {
    const rows = run(pts([1000, 0], [0, 0], [1100, 0]));
    expect(rows.map((r) => r.currentTime)).toEqual([at(0), at(2)]);
    expect(rows[1]?.currentReturn).toBeCloseTo(0.1, 12);
  });

  it('keeps NAV through a zero V_prev and restarts from the next value', () => {
    // Withdraw everything (V 0, A +1000), deposit 2000 into the empty account, then gain 10%.
    const rows = run(pts([1000, 0], [0, 1000], [2000, -2000], [2200, 0]));
    expect(rows.map((r) => r.currentReturn)).toEqual([0, 0, 0, expect.closeTo(0.1, 12)]);
    expect(rows.map((r) => r.nav)).toEqual([100, 100, 100, expect.closeTo(110, 12)]);
    expect(rows.every((r) => Object.values(r).every((v) => typeof v !== 'number' || Number.isFinite(v)))).toBe(true);
  });

  it('clamps a loss beyond everything to -100% and gives a negative V_prev no return', () => {
    const rows = run(pts([1000, 0], [-100, 0], [500, 0]));
    expect(rows[1]).toMatchObject({ currentReturn: -1, nav: 0, crr: -1, cd: -1, mdd: -1, historyHigh: 100 });
    expect(rows[2]).toMatchObject({ currentReturn: 0, nav: 0, cd: -1, mdd: -1 });
  });

  it('continues from a seed and ignores points at or before its time', () => {
    const all = run(pts([1000, 0], [1100, 0], [990, 0], [1210, 0]));
    const seed = all[1] as PerformanceRow;
    expect(run(pts([1000, 0], [1100, 0], [990, 0], [1210, 0]), seed)).toEqual(all.slice(2));
    expect(chainStep('p', seed, { t: at(1), value: 5, adjustment: 0 })).toBeUndefined();
  });

  it('rejects non-finite values naming key and time, but not in points already processed', () => {
    const call = () => run(pts([1000, 0], [Number.NaN, 0]));
    expect(call).toThrow(PerformanceInputError);
    expect(call).toThrow(`performance of "p" at ${at(1).toISOString()}: V and A must be finite numbers, got V=NaN, A=0`);
    expect(() => run(pts([1000, Infinity]))).toThrow(/A=Infinity/);
    const seed = run(pts([1000, 0], [1100, 0]))[1] as PerformanceRow;
    expect(run(pts([Number.NaN, 0], [Number.NaN, 0], [1210, 0]), seed)).toHaveLength(1);
  });

  it('rejects invalid and out-of-order times and corrupt seeds', () => {
    expect(() => run([{ t: new Date(Number.NaN), value: 1, adjustment: 0 }])).toThrow(/invalid time/);
    expect(() => run([{ t: at(1), value: 1, adjustment: 0 }, { t: at(1), value: 2, adjustment: 0 }])).toThrow(/strictly increasing/);
    expect(() => run([{ t: at(2), value: 1, adjustment: 0 }, { t: at(1), value: 2, adjustment: 0 }])).toThrow(/strictly increasing/);
    const seed = { ...(run(pts([1000, 0]))[0] as PerformanceRow), historyHigh: 0 };
    expect(() => run([{ t: at(5), value: 1, adjustment: 0 }], seed)).toThrow(/seed row is corrupt/);
  });

  it('streams lazily from any iterable', () => {
    function* endless(): Generator<Point> {
      for (let i = 0; ; i++) yield { t: at(i), value: 1000 + i, adjustment: 0 };
    }
    const it = chain('p', null, endless());
    expect(it.next().value).toMatchObject({ nav: 100 });
    expect(it.next().value).toMatchObject({ currentReturn: 0.001 });
  });
});
