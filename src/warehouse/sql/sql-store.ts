/** The WarehouseStore of both SQL adapters: runs the shared statements through a driver. */
import type { Target } from '../catalog.js';
import type { WarehouseDocument } from '../documents.js';
import type { DuplicateCounts, DuplicateScope, RangeQuery, UpdateOperation, WarehouseStore } from '../store.js';
import type { SqlDialect } from './dialect.js';
import * as sql from './statements.js';

/** Executes statements; implemented over better-sqlite3 and pg. */
export interface SqlExecutor {
  all(statement: sql.Statement): Promise<Record<string, unknown>[]>;
  /** Returns the number of rows affected. */
  run(statement: sql.Statement): Promise<number>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Rows per keyset page of a read. */
const PAGE_SIZE = 1000;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export class SqlStore implements WarehouseStore {
  constructor(private readonly driver: SqlDriver) {}

  private get d(): SqlDialect {
    return this.driver.dialect;
  }

  /** Runs statements all or nothing; one statement is that on its own, and skips BEGIN and COMMIT's round trips. */
  private async atomically(statements: readonly sql.Statement[]): Promise<number> {
    const [only] = statements;
    if (statements.length === 1 && only) return this.driver.run(only);
    return this.driver.transaction(async (tx) => {
      let affected = 0;
      for (const statement of statements) affected += await tx.run(statement);
      return affected;
    });
  }

  private inserts(docs: readonly WarehouseDocument[], statement: (chunk: WarehouseDocument[]) => sql.Statement): sql.Statement[] {
    return [...chunks(docs, this.d.rowsPerInsert)].map(statement);
  }

  async upsert(target: Target, docs: readonly WarehouseDocument[]): Promise<void> {
    if (docs.length === 0) return;
    await this.atomically(this.inserts(docs, (chunk) => sql.upsertDocuments(this.d, target, chunk)));
  }

  async *find(target: Target, filter: WarehouseDocument): AsyncIterable<WarehouseDocument> {
    let after: WarehouseDocument | null = null;
    for (;;) {
      const rows = await this.driver.all(sql.findPage(this.d, target, filter, after, PAGE_SIZE));
      for (const row of rows) {
        after = sql.decodeRow(target.collection, this.d, row);
        yield after;
      }
      if (rows.length < PAGE_SIZE) return;
    }
  }

  async *range(target: Target, query: RangeQuery, fields?: readonly string[]): AsyncIterable<WarehouseDocument> {
    if (query.keys?.length === 0) return;
    const page = (after: sql.RangePage['after']): Promise<Record<string, unknown>[]> => {
      const read = this.driver.all(sql.rangePage(this.d, target, { ...query, after, limit: PAGE_SIZE }, fields));
      // Observed when the page is awaited; this only keeps Node from calling a prefetch unhandled meanwhile.
      read.catch(() => undefined);
      return read;
    };
    let next = page(null);
    for (;;) {
      const rows = await next;
      const last = rows.at(-1);
      const full = rows.length === PAGE_SIZE && last !== undefined;
      if (full) {
        // The next page is read while the caller works through this one: over a long range the
        // database and the caller then work at the same time instead of taking turns.
        const doc = sql.decodeRow(target.collection, this.d, last, fields);
        next = page({ time: doc['current_time'] as Date, key: doc[query.keyField] as string });
      }
      for (const row of rows) yield sql.decodeRow(target.collection, this.d, row, fields);
      if (!full) return;
    }
  }

  async deleteRange(target: Target, query: RangeQuery): Promise<number> {
    // `IN ()` is not SQL: no keys means nothing to delete.
    if (query.keys?.length === 0) return 0;
    return this.driver.run(sql.deleteRange(this.d, target, query));
  }

  async latest(target: Target, keyField: string, keys: readonly string[], before?: Date): Promise<WarehouseDocument[]> {
    const found: WarehouseDocument[] = [];
    // One indexed lookup per key: a window over the whole table would scan every row.
    for (const key of keys) {
      const [row] = await this.driver.all(sql.latestOfKey(this.d, target, keyField, key, before));
      if (row) found.push(sql.decodeRow(target.collection, this.d, row));
    }
    return found;
  }

  async insert(target: Target, docs: readonly WarehouseDocument[]): Promise<{ inserted: number; skipped: number }> {
    if (docs.length === 0) return { inserted: 0, skipped: 0 };
    const inserted = await this.atomically(this.inserts(docs, (chunk) => sql.insertNewDocuments(this.d, target, chunk)));
    return { inserted, skipped: docs.length - inserted };
  }

  async update(target: Target, ops: readonly UpdateOperation[]): Promise<{ matched: number; upserted: number }> {
    const nulls = Object.fromEntries(Object.keys(target.collection.fields).map((f) => [f, null]));
    return this.driver.transaction(async (tx) => {
      let matched = 0;
      let upserted = 0;
      for (const op of ops) {
        const set = op.replace ? { ...nulls, ...op.filter, ...op.set } : op.set;
        const count = await tx.run(sql.updateMatching(this.d, target, op.filter, set));
        matched += count;
        if (count === 0 && op.upsert) {
          await tx.run(sql.insertNewDocuments(this.d, target, [{ ...op.filter, ...op.set }]));
          upserted += 1;
        }
      }
      return { matched, upserted };
    });
  }

  async deleteDuplicates(
    target: Target,
    scope: DuplicateScope,
    options: { readonly batchSize: number; readonly dryRun: boolean },
  ): Promise<DuplicateCounts> {
    const [counts] = await this.driver.all(sql.countGroups(this.d, target, scope));
    const scanned = Number(counts?.['row_count'] ?? 0);
    const groups = Number(counts?.['group_count'] ?? 0);
    let deleted = 0;
    let batches = 0;
    if (!options.dryRun) {
      // Each batch commits on its own so a long cleanup never holds one huge transaction.
      for (;;) {
        const removed = await this.driver.run(sql.deleteDuplicateBatch(this.d, target, scope, options.batchSize));
        if (removed === 0) break;
        deleted += removed;
        batches += 1;
      }
    }
    return { scanned, groups, duplicates: scanned - groups, deleted, batches };
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
