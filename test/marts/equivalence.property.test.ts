/**
 * For random snapshot histories, every way of running the marts gives the same
 * rows, bit for bit: (a) one live run per snapshot, (b) live runs at random
 * moments, some doubled, some skipped, (c) one refill over everything,
 * (d) a refill of a prefix, then a refill from inside it to the end, then a
 * refill of a middle range, (e) two refills splitting the history at a random
 * minute over stale rows at every minute of every key, which only a refill
 * that deletes what it no longer produces can remove. Each variant writes
 * under its own key names in one store, so an iteration needs no fresh database.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummaryRecord } from '../../src/domain/account-summary.js';
import type { PerformanceRow } from '../../src/domain/performance-row.js';
import { refill } from '../../src/marts/refill.js';
import { runMart } from '../../src/marts/run-mart.js';
import type { PerformanceKind, Warehouse } from '../../src/warehouse/warehouse.js';
import { backends, type Opener } from './backends.js';
import { addPortfolios, at, member, rowsOf, snap } from './fixtures.js';

const NAMES = ['a', 'b', 'c', 'd'] as const;
const KINDS: readonly PerformanceKind[] = ['portfolio', 'master'];

/** Per minute, per portfolio: no summary, or V (0 sometimes) and A (0 often). Thirds make non-dyadic floats. */
const cell = fc.option(
  fc.record({
    value: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 }).map((v) => v / 3)),
    adjustment: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -900, max: 900 }).map((v) => v / 3)),
  }),
  { freq: 4 },
);
const history = fc.array(
  fc.record({ gap: fc.integer({ min: 1, max: 3 }), cells: fc.tuple(cell, cell, cell, cell) }),
  { minLength: 1, maxLength: 8 },
);
/** After each minute of (b): 0 = no run, 1 = one run, 2 = two runs. */
const liveSchedule = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 });
const cuts = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat());

type Minute = { minute: number; summaries: AccountSummaryRecord[] };

function minutesOf(steps: { gap: number; cells: readonly ({ value: number; adjustment: number } | null)[] }[], prefix: string): Minute[] {
  let minute = 0;
  return steps.map(({ gap, cells }) => {
    minute += gap;
    const summaries = cells.flatMap((c, i) => (c === null ? [] : [snap(`${prefix}${NAMES[i]}`, minute, c.value, c.adjustment)]));
    return { minute, summaries };
  });
}

/**
 * a, b in master M1 (a names composite C); c in M2 (names C); d was in M1 and
 * is inactive now, so its summaries count where it has them but it is never
 * expected.
 */
function portfoliosOf(prefix: string) {
  return [
    member(`${prefix}a`, `${prefix}M1`, `${prefix}C`),
    member(`${prefix}b`, `${prefix}M1`),
    member(`${prefix}c`, `${prefix}M2`, `${prefix}C`),
    member(`${prefix}d`, `${prefix}M1`, null, 'inactive'),
  ];
}
const keysOf = (prefix: string, kind: PerformanceKind): string[] =>
  kind === 'portfolio' ? NAMES.map((n) => `${prefix}${n}`) : ['M1', 'M2', 'C'].map((n) => `${prefix}${n}`);

async function live(wh: Warehouse, prefix: string): Promise<void> {
  for (const kind of KINDS) await runMart({ kind, source: wh, target: wh, window: { mode: 'continue', to: at(10_000) }, keys: keysOf(prefix, kind), batchSize: 2 });
}

async function refillAll(wh: Warehouse, open: Opener, prefix: string, from: number, to: number): Promise<void> {
  for (const kind of KINDS) await refill({ warehouse: wh, openWarehouse: open }, { kind, from: at(from), to: at(to), keys: keysOf(prefix, kind), batchSize: 3 });
}

/** A wrong row for every key at every minute of [0, last]: stale values where the chain yields a row, stray rows where it yields none. */
async function seedStaleRows(wh: Warehouse, prefix: string, last: number): Promise<void> {
  for (const kind of KINDS) {
    const rows = keysOf(prefix, kind).flatMap((key) =>
      Array.from({ length: last + 1 }, (_, minute) => ({
        key, currentTime: at(minute), totalUsdValue: -1, historyHigh: 1, nav: 1, currentReturn: 9, crr: 9, cd: -1, mdd: -1,
      })),
    );
    await wh.upsertPerformanceRows(kind, rows);
  }
}

async function rowsWithout(wh: Warehouse, prefix: string): Promise<Record<PerformanceKind, PerformanceRow[]>> {
  const strip = (rows: PerformanceRow[]) => rows.map((r) => ({ ...r, key: r.key.slice(prefix.length) }));
  return { portfolio: strip(await rowsOf(wh, 'portfolio', keysOf(prefix, 'portfolio'))), master: strip(await rowsOf(wh, 'master', keysOf(prefix, 'master'))) };
}

for (const backend of backends) {
  describe(`live and refill agree on ${backend.name}`, () => {
    let open: Opener;
    let wh: Warehouse;
    let iteration = 0;

    beforeAll(async () => {
      open = await backend.fresh('marts_prop');
      wh = await open(false);
    });
    afterAll(async () => {
      await wh.close();
    });

    it('one run per snapshot, runs at random times, one refill, and chained partial refills, over stale rows or none, give identical rows', async () => {
      await fc.assert(
        fc.asyncProperty(history, liveSchedule, cuts, async (steps, schedule, [k, j, i, m]) => {
          iteration += 1;
          const variants = ['a', 'b', 'c', 'd', 'e'].map((v) => `i${iteration}${v}-`);
          for (const prefix of variants) await addPortfolios(wh, portfoliosOf(prefix));
          const [pa, pb, pc, pd, pe] = variants as [string, string, string, string, string];
          const minutes = (prefix: string) => minutesOf(steps, prefix);

          for (const { summaries } of minutes(pa)) {
            await wh.upsertAccountSummaries(summaries);
            await live(wh, pa);
          }

          for (const [n, { summaries }] of minutes(pb).entries()) {
            await wh.upsertAccountSummaries(summaries);
            for (let r = 0; r < schedule[n]!; r += 1) await live(wh, pb);
          }
          await live(wh, pb); // the next scheduled run catches up

          const all = minutes(pc);
          await wh.upsertAccountSummaries(all.flatMap((s) => s.summaries));
          await refillAll(wh, open, pc, 0, all.at(-1)!.minute);

          const times = minutes(pd);
          await wh.upsertAccountSummaries(times.flatMap((s) => s.summaries));
          const last = times.length - 1;
          const prefixEnd = k % times.length; // refill [first, prefixEnd]
          const resume = j % (prefixEnd + 2); // then [resume, end], resume <= prefixEnd + 1 leaves no gap
          await refillAll(wh, open, pd, 0, times[prefixEnd]!.minute);
          if (resume <= last) await refillAll(wh, open, pd, times[resume]!.minute, times[last]!.minute);
          const lo = i % times.length;
          const hi = lo + (m % (times.length - lo));
          await refillAll(wh, open, pd, times[lo]!.minute, times[hi]!.minute);

          const seeded = minutes(pe);
          await wh.upsertAccountSummaries(seeded.flatMap((s) => s.summaries));
          const end = seeded.at(-1)!.minute;
          await seedStaleRows(wh, pe, end);
          // Minute 0 never has a snapshot, so every key has at least one stray row to delete.
          const split = k % (end + 1);
          await refillAll(wh, open, pe, 0, split);
          if (split < end) await refillAll(wh, open, pe, split + 1, end);

          const expected = await rowsWithout(wh, pa);
          expect(await rowsWithout(wh, pb)).toEqual(expected);
          expect(await rowsWithout(wh, pc)).toEqual(expected);
          expect(await rowsWithout(wh, pd)).toEqual(expected);
          expect(await rowsWithout(wh, pe)).toEqual(expected);
        }),
        { numRuns: backend.name === 'sqlite' ? 25 : 10 },
      );
    });
  });
}
