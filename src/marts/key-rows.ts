/**
 * The rows of one key over a window of snapshots: the pure SPEC 13 chain
 * (src/performance) fed from the warehouse. The only code that turns
 * summaries into performance rows, for live runs and refills alike.
 */
import type { PerformanceRow } from '../domain/performance-row.js';
import { chain, groupStep, type ChainSeed, type Flow, type Group, type GroupSeed, type IncompleteRule } from '../performance/index.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { pointPages, snapshots } from './summary-stream.js';

/** Summaries with `from <= current_time <= to` are read; the chain itself skips those at or before the seed. */
export interface KeyWindow {
  readonly from: Date;
  readonly to: Date;
}

/** Points per call of the pure `chain`. */
const POINT_PAGE = 1000;

export async function* portfolioRows(
  source: Warehouse,
  key: string,
  seed: ChainSeed | null,
  window: KeyWindow,
): AsyncGenerator<PerformanceRow> {
  let state = seed;
  const summaries = source.streamSummaryFlows({ from: window.from, to: window.to, portfolios: [key] });
  for await (const page of pointPages(summaries, POINT_PAGE)) {
    for (const row of chain(key, state, page)) {
      state = row;
      yield row;
    }
  }
}

export async function* groupRows(
  source: Warehouse,
  group: Group,
  seed: PerformanceRow | null,
  window: KeyWindow,
  incomplete: IncompleteRule,
): AsyncGenerator<PerformanceRow> {
  let state: GroupSeed | null = seed === null ? null : { row: seed, members: await membersAt(source, group, seed.currentTime) };
  const summaries = source.streamSummaryFlows({ from: window.from, to: window.to, portfolios: group.members });
  for await (const snapshot of snapshots(group.key, summaries)) {
    const next = groupStep(group, state, snapshot, incomplete);
    if (next !== undefined) {
      state = next;
      yield next.row;
    }
  }
}

/**
 * The members' summaries at the seed row's time: the other half of a group's
 * state. If they have since been deleted the map is empty, every member present
 * at the next time counts as joining, and that step's return is 0.
 */
async function membersAt(source: Warehouse, group: Group, t: Date): Promise<Map<string, Flow>> {
  const members = new Map<string, Flow>();
  for await (const s of source.streamSummaryFlows({ from: t, to: t, portfolios: group.members })) {
    members.set(s.portfolio, { value: s.totalUsdValue, adjustment: s.transferAdjustment });
  }
  return members;
}
