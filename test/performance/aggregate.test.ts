import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateGroup, type Flow, type GroupSeed, groupChain, groupStep, type Snapshot } from '../../src/performance/aggregate.js';
import { resolveGroups, type Group } from '../../src/performance/groups.js';
import type { Portfolio } from '../../src/domain/portfolio.js';
import type { PerformanceRow } from '../../src/domain/performance-row.js';

const portfolio = (name: string, master: string | null, composite: string | null = null, status = 'active'): Portfolio => ({
  portfolio: name,
  exchange: 'simulated',
  status,
  positionThreshold: null,
  masterPortfolio: master,
  composite,
});
const flows = (entries: Record<string, number | [number, number]>): Map<string, Flow> =>
  new Map(Object.entries(entries).map(([k, v]) => [k, typeof v === 'number' ? { value: v, adjustment: 0 } : { value: v[0], adjustment: v[1] }]));
const T0 = Date.UTC(2024, 0, 1);
const at = (minute: number): Date => new Date(T0 + minute * 60_000);
const snaps = (...members: Record<string, number | [number, number]>[]): Snapshot[] => members.map((m, i) => ({ t: at(i), members: flows(m) }));

const groups = resolveGroups([
  portfolio('a', 'M1', 'C'),
  portfolio('b', 'M1'),
  portfolio('c', 'M2', 'C'),
  portfolio('d', 'M3'),
  portfolio('old', 'M1', null, 'inactive'),
  portfolio('loose', null, 'C'),
]);
const M1 = groups.get('M1') as Group;
const C = groups.get('C') as Group;

describe('resolveGroups', () => {
  it('resolves masters and composites of masters from the current portfolio list', () => {
    expect(M1).toEqual({ key: 'M1', kind: 'master', members: ['a', 'b', 'old'], active: new Set(['a', 'b']) });
    expect(C).toEqual({ key: 'C', kind: 'composite', members: ['a', 'b', 'c', 'old'], active: new Set(['a', 'b', 'c']) });
    expect([...groups.keys()].sort()).toEqual(['C', 'M1', 'M2', 'M3']);
  });

  it('refuses a composite named like a master', () => {
    expect(() => resolveGroups([portfolio('a', 'X', 'Y'), portfolio('b', 'Y')])).toThrow(/both a master portfolio and a composite/);
  });
});

describe('aggregateGroup', () => {
  it('sums V and A of the members present, ignoring other portfolios', () => {
    expect(aggregateGroup(M1, flows({ a: [100, -10], b: [50, 5], d: 999 }), null)).toEqual({ value: 150, adjustment: -5 });
  });

  it('sums a composite over all portfolios of its masters', () => {
    const now = flows({ a: 100, b: 50, c: [30, 3], d: 7 });
    expect(aggregateGroup(C, now, now)).toEqual({ value: 180, adjustment: 3 });
  });

  it('skips an incomplete group by default; partial books the missing member as withdrawn', () => {
    const before = flows({ a: 100, b: 50 });
    expect(aggregateGroup(M1, flows({ a: 110 }), before)).toBeNull();
    expect(aggregateGroup(C, flows({ a: 110, c: 1 }), before)).toBeNull();
    expect(aggregateGroup(M1, flows({ a: 110 }), before, 'partial')).toEqual({ value: 110, adjustment: 50 });
  });

  it('books a joining member as a deposit and a deactivated one as a withdrawal', () => {
    expect(aggregateGroup(M1, flows({ a: 100, b: [50, -7] }), flows({ a: 100 }))).toEqual({ value: 150, adjustment: -50 });
    expect(aggregateGroup(M1, flows({ a: 100 }), flows({ a: 100, old: 40 }))).toEqual({ value: 100, adjustment: 40 });
  });
});

describe('groupChain', () => {
  it('skips an incomplete time, so a missing member is no drawdown, and measures from the last row', () => {
    const rows = [...groupChain(M1, null, snaps({ a: 100, b: 100 }, { a: 110 }, { a: 110, b: 110 }))];
    expect(rows.map((r) => r.currentTime)).toEqual([at(0), at(2)]);
    expect(rows[1]?.currentReturn).toBeCloseTo(0.1, 12);
    expect(rows[1]?.mdd).toBe(0);
  });

  it('under partial, writes the present members and leaves the return untouched by the gap', () => {
    const rows = [...groupChain(M1, null, snaps({ a: 100, b: 100 }, { a: 110 }, { a: 110, b: 100 }), 'partial')];
    expect(rows.map((r) => r.totalUsdValue)).toEqual([200, 110, 210]);
    expect(rows[1]?.currentReturn).toBeCloseTo(0.05, 12); // a's +10 on the 200 held before
    expect(rows[2]?.currentReturn).toBe(0); // b re-enters as a deposit
  });

  it('keeps joins and leaves out of the return', () => {
    const rows = [...groupChain(M1, null, snaps({ a: 100, old: 100 }, { a: 100 }, { a: 100, b: 300 }, { a: 110, b: 330 }))];
    expect(rows.map((r) => r.currentReturn)).toEqual([0, 0, 0, expect.closeTo(0.1, 12)]);
    expect(rows.map((r) => r.totalUsdValue)).toEqual([200, 100, 400, 440]);
  });

  it('composites chain their masters’ sums', () => {
    const rows = [...groupChain(C, null, snaps({ a: 100, b: 100, c: 200 }, { a: 120, b: 100, c: 220 }))];
    expect(rows[1]).toMatchObject({ key: 'C', totalUsdValue: 440, currentReturn: 0.1 });
  });

  it('ignores snapshots at or before the seed', () => {
    const seed: GroupSeed = { row: { currentTime: at(1), totalUsdValue: 200, nav: 100, crr: 0, historyHigh: 100, mdd: 0 }, members: flows({ a: 100, b: 100 }) };
    expect(groupStep(M1, seed, { t: at(1), members: flows({ a: 1, b: 1 }) })).toBeUndefined();
    expect(groupStep(M1, seed, { t: at(2), members: flows({ a: 150, b: 100 }) })?.row.currentReturn).toBe(0.25);
  });

  it('gives identical rows when runs are split and seeded from the last row and its members', () => {
    const member = fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 10_000 }));
    const snapshot = fc.record({ a: member, b: member, old: member, adj: fc.integer({ min: -50, max: 50 }) });
    fc.assert(
      fc.property(fc.array(snapshot, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom('skip' as const, 'partial' as const), (raw, cuts, rule) => {
        const history: Snapshot[] = raw.map(({ adj, ...m }, i) => ({
          t: at(i),
          members: new Map(Object.entries(m).flatMap(([k, v]) => (v === undefined ? [] : [[k, { value: v, adjustment: adj }] as const]))),
        }));
        const whole = [...groupChain(M1, null, history, rule)];
        const pieces: PerformanceRow[] = [];
        let seed: GroupSeed | null = null;
        let done = 0;
        for (const cut of [...cuts.map((c) => c % (history.length + 1)), history.length]) {
          const end = Math.max(done, cut);
          const from = Math.max(0, done - 5); // every run re-reads a little of what came before
          done = end;
          for (const row of groupChain(M1, seed, history.slice(from, end), rule)) pieces.push(row);
          const last = pieces.at(-1);
          if (last !== undefined) seed = { row: last, members: history.find((s) => s.t.getTime() === last.currentTime.getTime())?.members ?? new Map() };
        }
        expect(pieces).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});
