/**
 * Refill of a performance mart over [from, to]: the same pass as the live
 * marts (`runMart`), seeded from each key's last row before `from`, optionally
 * reading one warehouse pair (C_* or T_*) and writing the other.
 */
import type { IncompleteRule } from '../performance/index.js';
import { WarehouseInputError } from '../warehouse/errors.js';
import type { PerformanceKind, Warehouse } from '../warehouse/warehouse.js';
import type { MartProgress } from './progress.js';
import { runMart, type MartCounts } from './run-mart.js';

/** The warehouse Kairos runs with, and a way to open either pair on demand. */
export interface WarehouseAccess {
  readonly warehouse: Warehouse;
  readonly openWarehouse: (isTest: boolean) => Promise<Warehouse>;
}

export interface RefillOptions {
  readonly kind: PerformanceKind;
  /** Inclusive bounds on the snapshot times recomputed. */
  readonly from: Date;
  readonly to: Date;
  /** Only these keys. @default every key of the source's portfolio list */
  readonly keys?: readonly string[] | undefined;
  /** Read portfolios and summaries from T_DATA (true) or C_DATA (false). @default the pair `warehouse` uses */
  readonly readTest?: boolean | undefined;
  /** Seed from and write to T_MART (true) or C_MART (false). @default the pair `warehouse` uses */
  readonly writeTest?: boolean | undefined;
  /** Masters only. @default 'skip' */
  readonly incomplete?: IncompleteRule | undefined;
  /** Rows per upsert. @default 1000 */
  readonly batchSize?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onKey?: ((key: string, rows: number) => void) | undefined;
  /** Every `batchSize` rows and after each key; `formatProgress` turns it into a line with rate and ETA. */
  readonly onProgress?: ((progress: MartProgress) => void) | undefined;
}

export interface RefillReport extends MartCounts {
  readonly kind: PerformanceKind;
  readonly from: Date;
  readonly to: Date;
  readonly readTest: boolean;
  readonly writeTest: boolean;
}

export async function refill(access: WarehouseAccess, options: RefillOptions): Promise<RefillReport> {
  const { from, to } = options;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from.getTime() > to.getTime()) {
    throw new WarehouseInputError(`refill needs valid times with start <= end, got ${String(from)} .. ${String(to)}`);
  }
  const readTest = options.readTest ?? access.warehouse.isTest;
  const writeTest = options.writeTest ?? access.warehouse.isTest;
  const opened = new Map<boolean, Warehouse>();
  const pair = async (isTest: boolean): Promise<Warehouse> => {
    if (isTest === access.warehouse.isTest) return access.warehouse;
    const found = opened.get(isTest) ?? (await access.openWarehouse(isTest));
    opened.set(isTest, found);
    return found;
  };
  try {
    const counts = await runMart({
      kind: options.kind,
      source: await pair(readTest),
      target: await pair(writeTest),
      window: { mode: 'refill', from, to },
      keys: options.keys,
      incomplete: options.incomplete,
      batchSize: options.batchSize,
      signal: options.signal,
      onKey: options.onKey,
      onProgress: options.onProgress,
    });
    return { kind: options.kind, from, to, readTest, writeTest, ...counts };
  } finally {
    // Only what this refill opened; the caller's warehouse stays open.
    await Promise.all([...opened.values()].map((w) => w.close()));
  }
}
