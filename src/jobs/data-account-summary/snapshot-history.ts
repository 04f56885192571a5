/** What the warehouse knows of each portfolio's earlier snapshots, read once per run. */
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface SnapshotHistory {
  /** Newest snapshot of each portfolio (this run's own key included, on a rerun): staleness. */
  readonly latest: ReadonlyMap<string, Date>;
  /** Newest snapshot strictly before the run's current_time: the transfer window's start. */
  readonly previous: ReadonlyMap<string, Date>;
}

/**
 * One `latestSummaries` read serves both, except for portfolios already holding
 * a row at or after `currentTime` (a rerun or a late run of an earlier fire):
 * for those the previous snapshot is looked up within `lookbackMs`, so a rerun
 * reports the same transfer window as the first run instead of an empty one.
 */
export async function loadSnapshotHistory(
  warehouse: Warehouse,
  portfolios: readonly string[],
  currentTime: Date,
  lookbackMs: number,
): Promise<SnapshotHistory> {
  if (portfolios.length === 0) return { latest: new Map(), previous: new Map() };
  const latest = new Map((await warehouse.latestSummaries(portfolios)).map((s) => [s.portfolio, s.currentTime] as const));
  const previous = new Map<string, Date>();
  const rerun: string[] = [];
  for (const [portfolio, time] of latest) {
    if (time < currentTime) previous.set(portfolio, time);
    else rerun.push(portfolio);
  }
  if (rerun.length > 0) {
    const range = { from: new Date(currentTime.getTime() - lookbackMs), to: new Date(currentTime.getTime() - 1), portfolios: rerun };
    // Ordered by current_time: the last row seen per portfolio is its newest.
    for await (const summary of warehouse.streamSummaries(range)) previous.set(summary.portfolio, summary.currentTime);
  }
  return { latest, previous };
}
