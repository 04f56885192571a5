import { describe, expect, it } from 'vitest';
import { dailyReturns, maxDrawdown, periodReturn, periodReturns, sharpe, sortino, volatility, type NavSample } from '../../src/performance/stats.js';
import { downsample } from '../../src/performance/downsample.js';

const s = (iso: string, nav: number): NavSample => ({ currentTime: new Date(iso), nav });
const SQRT365 = Math.sqrt(365);

describe('period returns', () => {
  const series = [
    s('2023-12-31T15:00:00Z', 100), // 23:00 on 31 Dec in Taipei
    s('2023-12-31T16:30:00Z', 105), // 00:30 on 1 Jan in Taipei, still 2023 in UTC
    s('2024-01-09T12:00:00Z', 110),
    s('2024-01-15T12:00:00Z', 120),
    s('2024-01-16T11:00:00Z', 126),
    s('2024-01-16T12:00:00Z', 132),
  ];

  it('measures from the last sample at or before each start, in the given zone for YTD', () => {
    const r = periodReturns(series, 'Asia/Taipei');
    expect(r.d1).toBeCloseTo(0.1, 12); // base 120 at exactly 24h before
    expect(r.d7).toBeCloseTo(0.2, 12); // base 110 on the 9th
    expect(r.d30).toBeNull(); // history is younger than 30 days
    expect(r.ytd).toBeCloseTo(0.32, 12); // base 100, the last sample of 2023 in Taipei
    expect(r.all).toBeCloseTo(0.32, 12);
    expect(periodReturns(series, 'UTC').ytd).toBeCloseTo(132 / 105 - 1, 12);
  });

  it('is null without data or from a NAV of 0, and refuses an unknown zone', () => {
    expect(periodReturns([])).toEqual({ d1: null, d7: null, d30: null, ytd: null, all: null });
    expect(periodReturn([s('2024-01-01T00:00:00Z', 0), s('2024-01-02T00:00:00Z', 5)], new Date('2024-01-01T00:00:00Z'))).toBeNull();
    expect(() => periodReturns(series, 'Mars/Olympus')).toThrow(/unknown time zone/);
  });
});

describe('daily returns and risk ratios', () => {
  it('samples the last NAV of each UTC day, spanning empty days and skipping a 0 base', () => {
    const series = [
      s('2024-01-01T01:00:00Z', 90),
      s('2024-01-01T23:59:59Z', 100),
      s('2024-01-02T00:00:00Z', 130),
      s('2024-01-02T12:00:00Z', 110),
      s('2024-01-05T12:00:00Z', 0),
      s('2024-01-06T12:00:00Z', 50),
    ];
    expect(dailyReturns(series)).toEqual([expect.closeTo(0.1, 12), -1]);
  });

  it('annualises with √365', () => {
    expect(volatility([0.01, -0.01])).toBeCloseTo(Math.sqrt(0.0002) * SQRT365, 12);
    expect(sharpe([0.02, 0])).toBeCloseTo((0.01 / Math.sqrt(0.0002)) * SQRT365, 12);
    expect(sortino([0.02, -0.01])).toBeCloseTo((0.005 / Math.sqrt(0.0001 / 2)) * SQRT365, 12);
  });

  it('subtracts a daily risk-free rate', () => {
    const rf = 0.0365; // 0.0001 a day
    expect(sharpe([0.0201, 0.0001], rf)).toBeCloseTo((0.01 / Math.sqrt(0.0002)) * SQRT365, 9);
    expect(sortino([0.0201, -0.0099], rf)).toBeCloseTo((0.005 / Math.sqrt(0.0001 / 2)) * SQRT365, 9);
  });

  it('is null rather than infinite when undefined', () => {
    expect(volatility([0.01])).toBeNull();
    expect(sharpe([0.01, 0.01])).toBeNull();
    expect(sortino([0.01, 0.02])).toBeNull();
    expect(sortino([-0.01])).toBeNull();
  });
});

describe('maxDrawdown', () => {
  const series = [s('2024-01-01T00:00:00Z', 100), s('2024-01-02T00:00:00Z', 120), s('2024-01-03T00:00:00Z', 90), s('2024-01-04T00:00:00Z', 80), s('2024-01-05T00:00:00Z', 130), s('2024-01-06T00:00:00Z', 117)];

  it('finds the deepest fall from a running peak within the window', () => {
    expect(maxDrawdown(series)).toBeCloseTo(80 / 120 - 1, 12);
    expect(maxDrawdown(series, new Date('2024-01-03T00:00:00Z'))).toBeCloseTo(80 / 90 - 1, 12); // peak 120 is outside: 90 → 80 beats 130 → 117 (-10%)
    expect(maxDrawdown(series, new Date('2024-01-05T00:00:00Z'), new Date('2024-01-05T00:00:00Z'))).toBe(0);
    expect(maxDrawdown(series, new Date('2025-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('downsample', () => {
  const ys = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 30) * 100 + i / 10);
  const ys2 = ys.map((y, i) => (i === 777 ? -1000 : y)); // one sharp trough

  it('keeps first, last and every bucket’s extremes within the budget', () => {
    const out = downsample(ys2, 100, (y) => y);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.length).toBeGreaterThan(90);
    expect(out[0]).toBe(ys2[0]);
    expect(out.at(-1)).toBe(ys2.at(-1));
    expect(out).toContain(-1000);
    expect(Math.max(...out)).toBe(Math.max(...ys2));
    const indices = out.map((y) => ys2.indexOf(y));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('returns short series whole and refuses a budget under 2', () => {
    expect(downsample([1, 2, 3], 3, (y) => y)).toEqual([1, 2, 3]);
    expect(downsample([1, 5, 3], 2, (y) => y)).toEqual([1, 3]);
    expect(() => downsample([1], 1, (y) => y)).toThrow(RangeError);
  });
});
