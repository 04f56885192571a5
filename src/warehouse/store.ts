/**
 * What a storage adapter implements: a few generic operations over the
 * catalog's collections. Domain words, credentials, `tw_time` and validation
 * live above it, in `domain-warehouse.ts`, once for every adapter. Inputs
 * reaching a store are already checked against the catalog and coerced.
 */
import type { Target } from './catalog.js';
import type { WarehouseDocument } from './documents.js';

/** Which rows OP_delete_duplicate_data considers, and how the newest of a group is chosen. */
export interface DuplicateScope {
  /** Newest by this field; ties broken by `tiebreak`, then by the natural key ascending. */
  readonly timeField: string;
  readonly groupFields: readonly string[];
  readonly timeStart?: Date | undefined;
  readonly timeEnd?: Date | undefined;
  readonly extraMatch: WarehouseDocument;
  readonly tiebreak: readonly (readonly [string, 1 | -1])[];
}

export interface RangeQuery {
  /** The field holding the row's key (portfolio or master_portfolio). */
  readonly keyField: string;
  /** Only these keys; every key when absent. */
  readonly keys?: readonly string[];
  /** Inclusive bounds on current_time. */
  readonly from: Date;
  readonly to: Date;
}

export interface UpdateOperation {
  readonly filter: WarehouseDocument;
  readonly set: WarehouseDocument;
  /** Replace the whole document (fields not in `set` are cleared) instead of setting fields. */
  readonly replace: boolean;
  /** Insert `filter` + `set` when nothing matches; validated as a complete document beforehand. */
  readonly upsert: boolean;
}

export interface DuplicateCounts {
  /** Documents in the time range and extra match. */
  readonly scanned: number;
  readonly groups: number;
  /** Documents that are not the newest of their group. */
  readonly duplicates: number;
  readonly deleted: number;
  readonly batches: number;
}

export interface WarehouseStore {
  /**
   * Inserts or fully replaces documents by the collection's natural key, in bulk.
   * For a collection with `orderedWrites`, what a crash leaves is a prefix of `docs`.
   */
  upsert(target: Target, docs: readonly WarehouseDocument[]): Promise<void>;
  /** Documents matching an equality filter, in natural-key order, a page at a time. */
  find(target: Target, filter: WarehouseDocument): AsyncIterable<WarehouseDocument>;
  /**
   * Rows in a time range ordered by (current_time, key), with bounded memory. With `fields`, only
   * those fields of each row are read (the others are absent); they must include the key field and
   * `current_time`, which order the pages.
   */
  range(target: Target, query: RangeQuery, fields?: readonly string[]): AsyncIterable<WarehouseDocument>;
  /** Deletes exactly the rows `range` would yield for the same query; returns how many. */
  deleteRange(target: Target, query: RangeQuery): Promise<number>;
  /** The newest row of each key (strictly before `before` when given); keys without rows are absent. */
  latest(target: Target, keyField: string, keys: readonly string[], before?: Date): Promise<WarehouseDocument[]>;
  /** Inserts complete documents, skipping those whose natural key already exists. */
  insert(target: Target, docs: readonly WarehouseDocument[]): Promise<{ inserted: number; skipped: number }>;
  /** Applies update operations in order; SQL stores do it in one transaction. */
  update(target: Target, ops: readonly UpdateOperation[]): Promise<{ matched: number; upserted: number }>;
  deleteDuplicates(
    target: Target,
    scope: DuplicateScope,
    options: { readonly batchSize: number; readonly dryRun: boolean },
  ): Promise<DuplicateCounts>;
  close(): Promise<void>;
}
