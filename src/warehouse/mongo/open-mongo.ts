/**
 * MongoDB adapter over the original layout: databases C_DATA/C_MART (T_* when
 * IS_TEST), the original collection and snake_case field names, instants as
 * BSON dates, so data written by the Python system reads as is.
 */
import { MongoBulkWriteError, MongoClient, MongoServerError, type AnyBulkWriteOperation, type Collection, type Document, type Filter } from 'mongodb';
import { COLLECTIONS, physicalDatabase, type CollectionSpec, type Target } from '../catalog.js';
import type { WarehouseDocument } from '../documents.js';
import type { DuplicateCounts, DuplicateScope, RangeQuery, UpdateOperation, WarehouseStore } from '../store.js';

const BATCH = 1000;
const DUPLICATE_KEY = 11000;

const ascending = (fields: readonly string[]): Record<string, 1> => Object.fromEntries(fields.map((f) => [f, 1 as const]));

/** Equality filters are already catalog-checked plain values, so they are valid Mongo filters as they are. */
function scopeFilter(scope: DuplicateScope): Document {
  const filter: Document = { ...scope.extraMatch };
  const time: Document = {};
  if (scope.timeStart) time['$gte'] = scope.timeStart;
  if (scope.timeEnd) time['$lte'] = scope.timeEnd;
  if (Object.keys(time).length) filter[scope.timeField] = time;
  return filter;
}

/** The rows of a range read or delete: the same filter for both, so a delete removes exactly what a read returns. */
function rangeFilter(query: RangeQuery): Document {
  const filter: Document = { current_time: { $gte: query.from, $lte: query.to } };
  if (query.keys) filter[query.keyField] = { $in: [...query.keys] };
  return filter;
}

/** Drops `_id` and keeps the catalog's fields (or `fields`), so legacy extra fields never leak into the domain. */
function toDocument(collection: CollectionSpec, raw: Document, fields: readonly string[] = Object.keys(collection.fields)): WarehouseDocument {
  const doc: WarehouseDocument = {};
  for (const field of fields) doc[field] = raw[field] ?? null;
  return doc;
}

export interface MongoStoreOptions {
  readonly uri: string;
  readonly isTest: boolean;
  /** Told about indexes that could not be created (duplicates in legacy data). */
  readonly onWarning?: (message: string) => void;
}

class MongoStore implements WarehouseStore {
  constructor(private readonly client: MongoClient) {}

  private collection(target: Target): Collection {
    return this.client.db(target.database).collection(target.collection.name);
  }

  async upsert(target: Target, docs: readonly WarehouseDocument[]): Promise<void> {
    const key = target.collection.key;
    for (let i = 0; i < docs.length; i += BATCH) {
      const ops: AnyBulkWriteOperation[] = docs.slice(i, i + BATCH).map((doc) => ({
        replaceOne: { filter: Object.fromEntries(key.map((f) => [f, doc[f]])), replacement: doc, upsert: true },
      }));
      // Ordered, the server applies the operations one after the other and stops at the first failure,
      // so a crash leaves a prefix (CollectionSpec.orderedWrites); unordered, it may apply them in any
      // order and goes on past a failure, which is kept where nothing depends on the order.
      await this.collection(target).bulkWrite(ops, { ordered: target.collection.orderedWrites });
    }
  }

  async *find(target: Target, filter: WarehouseDocument): AsyncIterable<WarehouseDocument> {
    const cursor = this.collection(target)
      .find(filter, { projection: { _id: 0 } })
      .sort(ascending(target.collection.key))
      .batchSize(BATCH);
    for await (const raw of cursor) yield toDocument(target.collection, raw);
  }

  async *range(target: Target, query: RangeQuery, fields?: readonly string[]): AsyncIterable<WarehouseDocument> {
    const projection = { _id: 0, ...(fields ? Object.fromEntries(fields.map((f) => [f, 1])) : {}) };
    const cursor = this.collection(target)
      .find(rangeFilter(query), { projection })
      .sort({ current_time: 1, [query.keyField]: 1 })
      .batchSize(BATCH);
    for await (const raw of cursor) yield toDocument(target.collection, raw, fields);
  }

  async deleteRange(target: Target, query: RangeQuery): Promise<number> {
    return (await this.collection(target).deleteMany(rangeFilter(query))).deletedCount;
  }

  async latest(target: Target, keyField: string, keys: readonly string[], before?: Date): Promise<WarehouseDocument[]> {
    const found: WarehouseDocument[] = [];
    for (const key of keys) {
      const filter: Document = { [keyField]: key };
      if (before) filter['current_time'] = { $lt: before };
      const raw = await this.collection(target).findOne(filter, { sort: { current_time: -1 }, projection: { _id: 0 } });
      if (raw) found.push(toDocument(target.collection, raw));
    }
    return found;
  }

  async insert(target: Target, docs: readonly WarehouseDocument[]): Promise<{ inserted: number; skipped: number }> {
    let inserted = 0;
    for (let i = 0; i < docs.length; i += BATCH) {
      // insertMany adds _id to the objects it is given: hand it copies.
      const batch = docs.slice(i, i + BATCH).map((doc) => ({ ...doc }));
      try {
        inserted += (await this.collection(target).insertMany(batch, { ordered: false })).insertedCount;
      } catch (error) {
        const duplicatesOnly =
          error instanceof MongoBulkWriteError &&
          (Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors]).every((e) => e.code === DUPLICATE_KEY);
        if (!duplicatesOnly) throw error;
        inserted += error.result.insertedCount;
      }
    }
    return { inserted, skipped: docs.length - inserted };
  }

  async update(target: Target, ops: readonly UpdateOperation[]): Promise<{ matched: number; upserted: number }> {
    if (ops.length === 0) return { matched: 0, upserted: 0 };
    const writes: AnyBulkWriteOperation[] = ops.map((op) =>
      op.replace
        ? { replaceOne: { filter: op.filter, replacement: { ...op.filter, ...op.set }, upsert: op.upsert } }
        : { updateMany: { filter: op.filter, update: { $set: op.set }, upsert: op.upsert } },
    );
    const result = await this.collection(target).bulkWrite(writes, { ordered: true });
    return { matched: result.matchedCount, upserted: result.upsertedCount };
  }

  async deleteDuplicates(
    target: Target,
    scope: DuplicateScope,
    options: { readonly batchSize: number; readonly dryRun: boolean },
  ): Promise<DuplicateCounts> {
    const coll = this.collection(target);
    const match = scopeFilter(scope);
    const groupId = Object.fromEntries(scope.groupFields.map((f) => [f, `$${f}`]));
    const [totals] = await coll
      .aggregate([
        { $match: match },
        { $group: { _id: groupId, n: { $sum: 1 } } },
        { $group: { _id: null, groups: { $sum: 1 }, scanned: { $sum: '$n' } } },
      ], { allowDiskUse: true })
      .toArray();
    const scanned = Number(totals?.['scanned'] ?? 0);
    const groups = Number(totals?.['groups'] ?? 0);
    let deleted = 0;
    let batches = 0;
    if (!options.dryRun) {
      // The same order as the SQL stores, then _id descending: among exact duplicates the last inserted stays.
      const sort: Document = { [scope.timeField]: -1 };
      for (const [f, dir] of scope.tiebreak) if (!(f in sort)) sort[f] = dir;
      for (const f of target.collection.key) if (!(f in sort)) sort[f] = 1;
      sort['_id'] = -1;
      const cursor = coll.aggregate<{ extra: unknown[] }>(
        [
          { $match: match },
          { $sort: sort },
          { $group: { _id: groupId, ids: { $push: '$_id' } } },
          { $match: { 'ids.1': { $exists: true } } },
          { $project: { extra: { $slice: ['$ids', 1, { $size: '$ids' }] } } },
        ],
        { allowDiskUse: true },
      );
      let pending: unknown[] = [];
      const flush = async (): Promise<void> => {
        // Legacy documents may carry any _id type, not only ObjectId.
        deleted += (await coll.deleteMany({ _id: { $in: pending } } as Filter<Document>)).deletedCount;
        batches += 1;
        pending = [];
      };
      for await (const group of cursor) {
        for (const id of group.extra) {
          pending.push(id);
          if (pending.length >= options.batchSize) await flush();
        }
      }
      if (pending.length) await flush();
    }
    return { scanned, groups, duplicates: scanned - groups, deleted, batches };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

async function ensureIndexes(client: MongoClient, isTest: boolean, onWarning: (message: string) => void): Promise<void> {
  for (const collection of Object.values(COLLECTIONS) as CollectionSpec[]) {
    const coll = client.db(physicalDatabase(collection.database, isTest)).collection(collection.name);
    try {
      // createIndex is a no-op when an identical index exists, so this runs at every start.
      await coll.createIndex(ascending(collection.key), { unique: true });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      onWarning(
        `${collection.database}.${collection.name} has duplicate (${collection.key.join(', ')}) documents, so its unique index was not created: run OP_delete_duplicate_data on it`,
      );
    }
    if (collection.key.length > 1) await coll.createIndex({ current_time: 1, [collection.key[0] as string]: 1 });
  }
}

export async function openMongoStore(options: MongoStoreOptions): Promise<WarehouseStore> {
  const client = new MongoClient(options.uri);
  try {
    await client.connect();
    await ensureIndexes(client, options.isTest, options.onWarning ?? (() => undefined));
  } catch (error) {
    await client.close();
    throw error;
  }
  return new MongoStore(client);
}
