import type { SummaryFlow } from '../domain/account-summary.js';
import type { Flow, Point, Snapshot } from '../performance/index.js';
import { PerformanceInputError } from '../performance/index.js';

/** A portfolio's summaries as chain points, in pages, so the pure `chain` runs over plain arrays. */
export async function* pointPages(summaries: AsyncIterable<SummaryFlow>, size: number): AsyncGenerator<Point[]> {
  let page: Point[] = [];
  for await (const s of summaries) {
    page.push({ t: s.currentTime, value: s.totalUsdValue, adjustment: s.transferAdjustment });
    if (page.length >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/**
 * Groups summaries ordered by (current_time, portfolio) into one snapshot per
 * time. Holds one snapshot at a time. A time going backwards means the stream
 * is not in the order the chain relies on, so it throws rather than guess.
 */
export async function* snapshots(key: string, summaries: AsyncIterable<SummaryFlow>): AsyncGenerator<Snapshot> {
  let t: Date | null = null;
  let members = new Map<string, Flow>();
  for await (const s of summaries) {
    if (t !== null && s.currentTime.getTime() !== t.getTime()) {
      if (s.currentTime.getTime() < t.getTime()) {
        throw new PerformanceInputError(key, s.currentTime, `summaries must come in time order, but it follows ${t.toISOString()}`);
      }
      yield { t, members };
      members = new Map();
    }
    t = s.currentTime;
    members.set(s.portfolio, { value: s.totalUsdValue, adjustment: s.transferAdjustment });
  }
  if (t !== null) yield { t, members };
}
