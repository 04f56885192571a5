/** Hand-computed mart cases end to end through the job types and a real warehouse. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerformanceRow } from '../../src/domain/performance-row.js';
import { createMartMasterPortfolioPerformanceJob } from '../../src/jobs/mart-master-portfolio-performance.js';
import { createMartPortfolioPerformanceJob } from '../../src/jobs/mart-portfolio-performance.js';
import { createOpRefillMasterPortfolioPerformanceJob } from '../../src/jobs/op-refill-master-portfolio-performance.js';
import { createOpRefillPortfolioPerformanceJob } from '../../src/jobs/op-refill-portfolio-performance.js';
import type { MartProgress } from '../../src/marts/progress.js';
import { refill } from '../../src/marts/refill.js';
import { runMart } from '../../src/marts/run-mart.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { collect, runJob } from '../warehouse/fixtures.js';
import { backends, type Opener } from './backends.js';
import { addPortfolios, at, crashingAfter, member, rowsOf, snap } from './fixtures.js';

/** [minute, total_usd_value, nav, history_high, current_return, crr, cd, mdd] */
type Expected = [number, number, number, number, number, number, number, number];

function expectRows(rows: readonly PerformanceRow[], key: string, expected: readonly Expected[]): void {
  const mine = rows.filter((r) => r.key === key);
  expect(mine.map((r) => r.currentTime.toISOString())).toEqual(expected.map(([m]) => at(m).toISOString()));
  mine.forEach((row, i) => {
    const [, value, nav, high, ret, crr, cd, mdd] = expected[i]!;
    const got = [row.totalUsdValue, row.nav, row.historyHigh, row.currentReturn, row.crr, row.cd, row.mdd];
    [value, nav, high, ret, crr, cd, mdd].forEach((want, j) => expect(got[j], `${key} row ${i} field ${j}`).toBeCloseTo(want, 9));
  });
}

/** p1: first row, a deposit, a loss, a withdrawal in a drawdown, V=A=0, recovery, emptied account, restart. */
const P1_SUMMARIES = [
  snap('p1', 0, 1000),
  snap('p1', 1, 1500, -500), // 500 deposited: no return
  snap('p1', 2, 1200), // -20 %
  snap('p1', 3, 700, 300), // 300 withdrawn: net 1000 vs 1200, -1/6
  snap('p1', 4, 0, 0), // dropped
  snap('p1', 5, 1400), // measured from the last row (700): +100 %
  snap('p1', 6, 0, 1400), // everything withdrawn: no return
  snap('p1', 7, 500, -500), // V_prev = 0: return 0, base restarts
  snap('p1', 8, 550), // +10 %
];
const nav3 = 80 * (5 / 6);
const P1_ROWS: Expected[] = [
  [0, 1000, 100, 100, 0, 0, 0, 0],
  [1, 1500, 100, 100, 0, 0, 0, 0],
  [2, 1200, 80, 100, -0.2, -0.2, -0.2, -0.2],
  [3, 700, nav3, 100, -1 / 6, -1 / 3, -1 / 3, -1 / 3],
  [5, 1400, 2 * nav3, 2 * nav3, 1, 1 / 3, 0, -1 / 3],
  [6, 0, 2 * nav3, 2 * nav3, 0, 1 / 3, 0, -1 / 3],
  [7, 500, 2 * nav3, 2 * nav3, 0, 1 / 3, 0, -1 / 3],
  [8, 550, 2.2 * nav3, 2.2 * nav3, 0.1, (4 / 3) * 1.1 - 1, 0, -1 / 3],
];

/** a, b in master M1; c in M2; a and c name composite C, so C sums M1 and M2 (a, b, c). */
const GROUP_PORTFOLIOS = [member('a', 'M1', 'C'), member('b', 'M1'), member('c', 'M2', 'C')];
const GROUP_SUMMARIES = [
  ...[snap('a', 0, 100), snap('b', 0, 200), snap('c', 0, 300)],
  ...[snap('a', 1, 110), snap('b', 1, 220), snap('c', 1, 270)],
  ...[snap('a', 2, 210, -100), snap('b', 2, 220), snap('c', 2, 0)], // a deposits 100; c is empty
  ...[snap('a', 3, 220), snap('c', 3, 300)], // b (active) is late: M1 and C skip minute 3
  ...[snap('a', 4, 220), snap('b', 4, 220), snap('c', 4, 300)],
];
const m1nav4 = 110 * (440 / 430);
const cnav4 = 55 * (740 / 430);
const GROUP_ROWS: Record<string, Expected[]> = {
  M1: [
    [0, 300, 100, 100, 0, 0, 0, 0],
    [1, 330, 110, 110, 0.1, 0.1, 0, 0],
    [2, 430, 110, 110, 0, 0.1, 0, 0],
    [4, 440, m1nav4, m1nav4, 10 / 430, m1nav4 / 100 - 1, 0, 0],
  ],
  M2: [
    [0, 300, 100, 100, 0, 0, 0, 0],
    [1, 270, 90, 100, -0.1, -0.1, -0.1, -0.1],
    // minute 2: V and A both 0, dropped; minute 3 is measured from minute 1
    [3, 300, 100, 100, 1 / 9, 0, 0, -0.1],
    [4, 300, 100, 100, 0, 0, 0, -0.1],
  ],
  C: [
    [0, 600, 100, 100, 0, 0, 0, 0],
    [1, 600, 100, 100, 0, 0, 0, 0],
    [2, 430, 55, 100, -0.45, -0.45, -0.45, -0.45],
    [4, 740, cnav4, 100, 310 / 430, cnav4 / 100 - 1, cnav4 / 100 - 1, -0.45],
  ],
};

for (const backend of backends) {
  describe(`marts on ${backend.name}`, () => {
    let open: Opener;
    const opened: Warehouse[] = [];
    const track = async (isTest: boolean): Promise<Warehouse> => {
      const wh = await open(isTest);
      opened.push(wh);
      return wh;
    };
    let wh: Warehouse;

    beforeAll(async () => {
      open = await backend.fresh('marts');
      wh = await track(false);
      await addPortfolios(wh, [member('p1', null), ...GROUP_PORTFOLIOS]);
      await wh.upsertAccountSummaries([...P1_SUMMARIES, ...GROUP_SUMMARIES]);
    });
    afterAll(async () => {
      await Promise.all(opened.splice(0).map((w) => w.close()));
    });

    it('portfolio mart: hand-computed rows, each snapshot once, a second run writes nothing', async () => {
      const late = P1_SUMMARIES.slice(4);
      const other = await track(true); // the T pair of the same store: starts empty
      await addPortfolios(other, [member('p1', null)]);
      await other.upsertAccountSummaries(P1_SUMMARIES.slice(0, 4));
      const job = createMartPortfolioPerformanceJob({ warehouse: other });
      expect((await runJob(job, { keys: ['p1'] }))?.data).toEqual({ keys: 1, rows_written: 4 });
      await other.upsertAccountSummaries(late);
      expect((await runJob(job, {}))?.data).toEqual({ keys: 1, rows_written: 4 });
      expect((await runJob(job, {}))?.data).toEqual({ keys: 1, rows_written: 0 });
      expectRows(await rowsOf(other, 'portfolio', ['p1']), 'p1', P1_ROWS);
      const docs = await collect(other.findDocuments('MART', 'portfolio_performance', { portfolio: 'p1' }));
      // 15:59 UTC is 23:59 in Taipei.
      expect(docs.map((d) => d['tw_time'])[0]).toBe('2024-03-10 23:59:00');
    });

    it('master mart: masters and a composite, a dropped zero key, a late member skipped', async () => {
      const job = createMartMasterPortfolioPerformanceJob({ warehouse: wh });
      expect((await runJob(job, {}))?.data).toEqual({ keys: 3, rows_written: 12 });
      const rows = await rowsOf(wh, 'master', ['M1', 'M2', 'C']);
      for (const [key, expected] of Object.entries(GROUP_ROWS)) expectRows(rows, key, expected);
      expect((await runJob(job, {}))?.data).toEqual({ keys: 3, rows_written: 0 });
    });

    it('a crash mid-run leaves a prefix from which the next run continues exactly', async () => {
      const job = createMartPortfolioPerformanceJob({ warehouse: wh });
      await runJob(job, { keys: ['p1'] }); // the reference, uninterrupted
      const reference = await rowsOf(wh, 'portfolio', ['p1']);
      const side = await track(true);
      await addPortfolios(side, [member('q1', null)]);
      await side.upsertAccountSummaries(P1_SUMMARIES.map((s) => ({ ...s, portfolio: 'q1' })));
      const crashing = createMartPortfolioPerformanceJob({ warehouse: crashingAfter(side, 1) });
      await expect(runJob(crashing, { keys: ['q1'], batch_size: 3 })).rejects.toThrow('injected crash');
      expect(await rowsOf(side, 'portfolio', ['q1'])).toHaveLength(3);
      await runJob(createMartPortfolioPerformanceJob({ warehouse: side }), { keys: ['q1'], batch_size: 3 });
      expect((await rowsOf(side, 'portfolio', ['q1'])).map((r) => ({ ...r, key: 'p1' }))).toEqual(reference);
    });

    it('refill repairs rows in its range and after, seeded from the row before it, and is idempotent', async () => {
      const refillJob = createOpRefillPortfolioPerformanceJob({ warehouse: wh, openWarehouse: open });
      await runJob(createMartPortfolioPerformanceJob({ warehouse: wh }), { keys: ['p1'] });
      const good = await rowsOf(wh, 'portfolio', ['p1']);
      // A corrupt row at minute 3, and rows at times the chain yields none for (minute 4 has V = A = 0;
      // 6.5 has no snapshot), as the original's stale chaining could leave; minute 9 is after the range.
      const stale = [{ ...good[3]!, nav: 1, historyHigh: 1, crr: 5 }, { ...good[3]!, currentTime: at(4) }, { ...good[5]!, currentTime: at(6.5) }];
      const after = { ...good[7]!, currentTime: at(9) };
      await wh.upsertPerformanceRows('portfolio', [...stale, after]);
      const kwargs = { keys: ['p1'], start_time: at(2).toISOString(), end_time: at(8).toISOString() };
      expect((await runJob(refillJob, kwargs))?.data).toMatchObject({ keys: 1, rows_written: 6, rows_deleted: 8 });
      expect(await rowsOf(wh, 'portfolio', ['p1'])).toEqual([...good, after]);
      expect((await runJob(refillJob, kwargs))?.data).toMatchObject({ rows_written: 6, rows_deleted: 6 });
      expect(await rowsOf(wh, 'portfolio', ['p1'])).toEqual([...good, after]);
    });

    it('a crash mid-refill leaves a prefix of the new rows and no stale ones, from which a live run continues exactly', async () => {
      const side = await track(true);
      await addPortfolios(side, [member('r1', null)]);
      await side.upsertAccountSummaries(P1_SUMMARIES.map((s) => ({ ...s, portfolio: 'r1' })));
      const liveRun = () => runMart({ kind: 'portfolio', source: side, target: side, window: { mode: 'continue', to: at(100) }, keys: ['r1'] });
      await liveRun();
      const reference = await rowsOf(side, 'portfolio', ['r1']);
      // Stale rows in the range at times the chain yields none for: only a deleting refill removes them.
      await side.upsertPerformanceRows('portfolio', [{ ...reference[3]!, currentTime: at(4) }, { ...reference[7]!, currentTime: at(7.5) }]);

      const crashing = { warehouse: crashingAfter(side, 1), openWarehouse: open };
      await expect(refill(crashing, { kind: 'portfolio', from: at(2), to: at(8), keys: ['r1'], batchSize: 2 })).rejects.toThrow('injected crash');
      // Minutes 0 and 1 precede the range, 2 and 3 are the one stored batch; 4 .. 8 are gone.
      expect(await rowsOf(side, 'portfolio', ['r1'])).toEqual(reference.slice(0, 4));
      await liveRun();
      expect(await rowsOf(side, 'portfolio', ['r1'])).toEqual(reference);
    });

    it('a crash mid-refill of several keys leaves the keys before complete, the current one a prefix and the keys after untouched', async () => {
      const side = await track(true);
      const keys = ['s1', 's2', 's3'];
      await addPortfolios(side, keys.map((k) => member(k, null)));
      await side.upsertAccountSummaries(keys.flatMap((k) => P1_SUMMARIES.map((s) => ({ ...s, portfolio: k }))));
      await runMart({ kind: 'portfolio', source: side, target: side, window: { mode: 'continue', to: at(100) }, keys });
      const reference = await rowsOf(side, 'portfolio', ['s1']);
      const as = (key: string, rows: readonly PerformanceRow[]) => rows.map((r) => ({ ...r, key }));
      // A stale row in every key's range, at a time the chain yields none for: only the key's delete removes it.
      const stale = (key: string) => ({ ...reference[3]!, key, currentTime: at(4) });
      await side.upsertPerformanceRows('portfolio', keys.map(stale));

      // Each key rewrites 6 rows (minutes 2, 3, 5 .. 8) in batches of 3: 2 upserts per key. The 4th fails,
      // in s2's rows: s1 is done, s2 holds its first batch (its delete ran first), s3 was not touched yet.
      const crashing = { warehouse: crashingAfter(side, 3), openWarehouse: open };
      await expect(refill(crashing, { kind: 'portfolio', from: at(2), to: at(8), keys, batchSize: 3 })).rejects.toThrow('injected crash');
      expect(await rowsOf(side, 'portfolio', ['s1'])).toEqual(reference);
      expect(await rowsOf(side, 'portfolio', ['s2'])).toEqual(as('s2', reference.slice(0, 5)));
      const s3 = await rowsOf(side, 'portfolio', ['s3']);
      expect(s3).toEqual([...as('s3', reference.slice(0, 4)), stale('s3'), ...as('s3', reference.slice(4))]);
    });

    it('reports progress every batch_size rows and after each key', async () => {
      const side = await track(true);
      await addPortfolios(side, [member('u1', null), member('u2', null)]);
      await side.upsertAccountSummaries(['u1', 'u2'].flatMap((k) => P1_SUMMARIES.map((s) => ({ ...s, portfolio: k }))));
      const seen: MartProgress[] = [];
      const report = await refill({ warehouse: side, openWarehouse: open }, { kind: 'portfolio', from: at(0), to: at(8), keys: ['u1', 'u2'], batchSize: 3, onProgress: (p) => seen.push(p) });
      expect(report.rows).toBe(16);
      // Each key: 8 rows, a report at its 3rd and 6th row, then one between keys.
      expect(seen.map((p) => [p.keysDone, p.current?.key ?? null, p.current?.at.toISOString() ?? null])).toEqual([
        [0, 'u1', at(2).toISOString()],
        [0, 'u1', at(6).toISOString()],
        [1, null, null],
        [1, 'u2', at(2).toISOString()],
        [1, 'u2', at(6).toISOString()],
        [2, null, null],
      ]);
      expect(seen.every((p) => p.keys === 2)).toBe(true);
      const rows = seen.map((p) => p.rows);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
      expect(rows.at(-1)).toBeLessThanOrEqual(16);
    });

    it('refill reads production and writes the test pair when asked, giving the live rows', async () => {
      const live = createMartMasterPortfolioPerformanceJob({ warehouse: wh });
      await runJob(live, {});
      const refill = createOpRefillMasterPortfolioPerformanceJob({ warehouse: wh, openWarehouse: open });
      const kwargs = { start_time: at(0).toISOString(), end_time: at(10).toISOString(), read_test: false, write_test: true };
      expect((await runJob(refill, kwargs))?.data).toMatchObject({ keys: 3, rows_written: 12, read_test: false, write_test: true });
      const test = await track(true);
      expect(await rowsOf(test, 'master', ['M1', 'M2', 'C'])).toEqual(await rowsOf(wh, 'master', ['M1', 'M2', 'C']));
    });

    it('rejects unknown keys and a run without start_time before touching anything', async () => {
      await expect(runJob(createMartPortfolioPerformanceJob({ warehouse: wh }), { keys: ['nope'] })).rejects.toThrow('unknown portfolio "nope"');
      const refill = createOpRefillPortfolioPerformanceJob({ warehouse: wh, openWarehouse: open });
      await expect(runJob(refill, {})).rejects.toThrow('start_time is still null');
      const bad = { start_time: at(5).toISOString(), end_time: at(1).toISOString() };
      await expect(runJob(refill, bad)).rejects.toThrow('start <= end');
    });
  });
}
