/** Progress arithmetic and formatting of a mart pass, with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { estimate, formatDuration, formatProgress, progressReporter, throttle, type MartProgress } from '../../src/marts/progress.js';

const DAY = 86_400_000;
const FROM = new Date('2024-01-01T00:00:00Z');
const TO = new Date(FROM.getTime() + 100 * DAY);
const inKey = (keysDone: number, days: number, rows: number): MartProgress => ({
  keys: 4,
  keysDone,
  current: { key: `p${keysDone}`, from: FROM, to: TO, at: new Date(FROM.getTime() + days * DAY) },
  rows,
});

describe('mart progress', () => {
  it('counts finished keys plus the current key’s share of its window', () => {
    expect(estimate(inKey(0, 0, 0), 0)).toEqual({ fraction: 0, rowsPerSecond: 0, etaSeconds: null });
    // 1.5 of 4 keys in 30 s: 37.5 %, 50 s to go.
    expect(estimate(inKey(1, 50, 15_000), 30_000)).toEqual({ fraction: 0.375, rowsPerSecond: 500, etaSeconds: 50 });
    expect(estimate({ keys: 4, keysDone: 4, current: null, rows: 8 }, 2_000)).toEqual({ fraction: 1, rowsPerSecond: 4, etaSeconds: 0 });
    // A row outside the window (a seed-less live key starting at 1970) never counts for more than the key.
    expect(estimate({ ...inKey(2, 500, 1), current: { key: 'x', from: FROM, to: FROM, at: FROM } }, 1_000).fraction).toBe(0.75);
  });

  it('formats a line with keys, position, rows, rate, share and ETA', () => {
    expect(formatProgress(inKey(1, 50, 1_234_567), 30_000)).toBe('1/4 keys, p1 at 2024-02-20T00:00:00Z, 1,234,567 rows, 41,152 rows/s, 37.5 %, ETA 50s');
    expect(formatProgress({ keys: 2, keysDone: 0, current: null, rows: 0 }, 0)).toBe('0/2 keys, 0 rows, 0 rows/s, 0.0 %, ETA unknown');
    expect([formatDuration(12.4), formatDuration(187), formatDuration(3_725)]).toEqual(['12s', '3m 07s', '1h 02m']);
  });

  it('throttles reports to one per interval, the first at once', () => {
    let t = 0;
    const seen: number[] = [];
    const report = throttle(1_000, (p) => seen.push(p.rows), () => t);
    for (const [at, rows] of [[0, 1], [500, 2], [999, 3], [1_000, 4], [1_500, 5], [2_100, 6]] as const) {
      t = at;
      report({ keys: 1, keysDone: 0, current: null, rows });
    }
    expect(seen).toEqual([1, 4, 6]);
  });

  it('hands a reporter the line and its figures, elapsed time counted from its creation', () => {
    let t = 10_000;
    const out: unknown[] = [];
    const onProgress = progressReporter(5_000, (line, fields) => out.push(line, fields), () => t);
    t = 40_000;
    onProgress(inKey(1, 50, 15_000));
    expect(out).toEqual([
      '1/4 keys, p1 at 2024-02-20T00:00:00Z, 15,000 rows, 500 rows/s, 37.5 %, ETA 50s',
      { keysDone: 1, keys: 4, key: 'p1', at: '2024-02-20T00:00:00.000Z', rows: 15_000, rowsPerSecond: 500, etaSeconds: 50 },
    ]);
  });
});
