/**
 * One pass of a performance mart, shared by the live MART_* jobs and the
 * refills: resolve the keys, load each key's seed from the target, stream its
 * snapshots from the source through the pure chain, write rows in order.
 * Live and refill differ only in the window (where the seed and the first
 * snapshot come from), so they cannot disagree on a row.
 */
import type { PerformanceRow } from '../domain/performance-row.js';
import type { Portfolio } from '../domain/portfolio.js';
import { resolveGroups, type IncompleteRule } from '../performance/index.js';
import { WarehouseInputError } from '../warehouse/errors.js';
import type { PerformanceKind, Warehouse } from '../warehouse/warehouse.js';
import { groupRows, portfolioRows, type KeyWindow } from './key-rows.js';
import type { MartProgress } from './progress.js';
import { DEFAULT_BATCH_SIZE, RowWriter } from './row-writer.js';

/**
 * - `continue` (live): each key from its newest stored row, through `to`.
 * - `refill`: each key over `[from, to]`, seeded from its newest row strictly before `from`.
 */
export type MartWindow =
  | { readonly mode: 'continue'; readonly to: Date }
  | { readonly mode: 'refill'; readonly from: Date; readonly to: Date };

export interface MartRunOptions {
  readonly kind: PerformanceKind;
  /** Where portfolios and summaries are read. */
  readonly source: Warehouse;
  /** Where seeds are read and rows written (the same warehouse except in a cross-pair refill). */
  readonly target: Warehouse;
  readonly window: MartWindow;
  /** Only these keys (portfolios, or masters and composites). @default every key of the portfolio list */
  readonly keys?: readonly string[] | undefined;
  /** Masters only: a member expected at t but missing. @default 'skip' */
  readonly incomplete?: IncompleteRule | undefined;
  /** Rows per upsert. @default 1000 */
  readonly batchSize?: number | undefined;
  /** Checked between batches: a stop leaves a clean prefix of the run's rows. */
  readonly signal?: AbortSignal | undefined;
  /** Called after each key's rows are computed (not necessarily stored yet), for progress logs. */
  readonly onKey?: ((key: string, rows: number) => void) | undefined;
  /** Called every `batchSize` rows computed and after each key; see progress.ts. */
  readonly onProgress?: ((progress: MartProgress) => void) | undefined;
}

export interface MartCounts {
  /** Keys processed. */
  readonly keys: number;
  /** Rows the warehouse acknowledged. */
  readonly rows: number;
  /** Rows a refill deleted from its range before rewriting it; always 0 for a live run. */
  readonly deleted: number;
}

/** A key without rows starts at its first snapshot, whenever that was. */
const BEGINNING = new Date(0);

type RowSource = (key: string, seed: PerformanceRow | null, window: KeyWindow) => AsyncIterable<PerformanceRow>;

export async function runMart(options: MartRunOptions): Promise<MartCounts> {
  const { kind, source, target, window } = options;
  const { keys, rowsOf } = planKeys(options, await source.portfolios());
  const before = window.mode === 'refill' ? window.from : undefined;
  const seeds = new Map((await target.latestPerformance(kind, keys, before)).map((row) => [row.key, row]));
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const writer = new RowWriter(target, kind, batchSize, options.signal);
  let keysDone = 0;
  const progress = (current: MartProgress['current']): void =>
    options.onProgress?.({ keys: keys.length, keysDone, current, rows: writer.written });
  try {
    for (const key of keys) {
      options.signal?.throwIfAborted();
      const seed = seeds.get(key) ?? null;
      const from = window.mode === 'refill' ? window.from : (seed?.currentTime ?? BEGINNING);
      if (window.mode === 'refill') {
        // Cleared key by key, after the previous key's rows and before this key's, so a crash leaves each key
        // either untouched or with a prefix of its new rows in the range: README rule 5. The writer orders it.
        await writer.deleteRange(key, from, window.to);
      }
      let rows = 0;
      for await (const row of rowsOf(key, seed, { from, to: window.to })) {
        await writer.add(row);
        rows += 1;
        if (rows % batchSize === 0) progress({ key, from, to: window.to, at: row.currentTime });
      }
      keysDone += 1;
      options.onKey?.(key, rows);
      progress(null);
    }
    await writer.flush();
  } finally {
    await writer.settle();
  }
  return { keys: keys.length, rows: writer.written, deleted: writer.deleted };
}

/** The keys to process, in name order, and how to compute each one's rows. */
function planKeys(options: MartRunOptions, portfolios: readonly Portfolio[]): { keys: string[]; rowsOf: RowSource } {
  const { source } = options;
  if (options.kind === 'portfolio') {
    // Every portfolio, not only active ones: summaries taken before a deactivation still get their rows.
    const keys = selectKeys(portfolios.map((p) => p.portfolio), options.keys, 'portfolio');
    return { keys, rowsOf: (key, seed, window) => portfolioRows(source, key, seed, window) };
  }
  const groups = resolveGroups(portfolios);
  const keys = selectKeys([...groups.keys()], options.keys, 'master portfolio or composite');
  const incomplete = options.incomplete ?? 'skip';
  return {
    keys,
    rowsOf: (key, seed, window) => groupRows(source, groups.get(key)!, seed, window, incomplete),
  };
}

function selectKeys(known: readonly string[], wanted: readonly string[] | undefined, what: string): string[] {
  if (wanted === undefined) return [...known].sort();
  const knownSet = new Set(known);
  const unknown = wanted.filter((k) => !knownSet.has(k));
  if (unknown.length > 0) {
    throw new WarehouseInputError(`unknown ${what} ${unknown.map((k) => `"${k}"`).join(', ')}: keys must name entries of DATA.portfolio`);
  }
  return [...new Set(wanted)].sort();
}
