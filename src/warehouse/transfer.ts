/**
 * Moving a warehouse between stores: NDJSON, one line per document,
 * `{"db":"DATA","collection":"portfolio","document":{...}}`, instants as
 * ISO-8601. Both directions stream; import upserts by natural key, so running
 * it twice changes nothing. Portfolios are merged field by field, so importing
 * an export made without credentials keeps the credentials already stored.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { COLLECTIONS, CREDENTIAL_FIELDS, type CollectionSpec } from './catalog.js';
import { WarehouseInputError } from './errors.js';
import type { Warehouse } from './warehouse.js';

export interface ExportOptions {
  /** Include the stored form of exchange credentials (plain, env: or enc:). @default false */
  readonly includeCredentials?: boolean;
}

export interface TransferCounts {
  /** Documents per `DB.collection`. */
  readonly counts: Record<string, number>;
}

/** Documents per upsert on import: enough to amortise round trips, small enough to bound memory. */
const IMPORT_BATCH = 1000;

async function write(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

export async function exportWarehouse(warehouse: Warehouse, out: Writable, options: ExportOptions = {}): Promise<TransferCounts> {
  const counts: Record<string, number> = {};
  for (const spec of Object.values(COLLECTIONS) as CollectionSpec[]) {
    const name = `${spec.database}.${spec.name}`;
    counts[name] = 0;
    for await (const doc of warehouse.findDocuments(spec.database, spec.name)) {
      if (!options.includeCredentials) for (const field of CREDENTIAL_FIELDS) delete doc[field];
      await write(out, JSON.stringify({ db: spec.database, collection: spec.name, document: doc }) + '\n');
      counts[name] += 1;
    }
  }
  return { counts };
}

export async function importWarehouse(warehouse: Warehouse, input: Readable): Promise<TransferCounts> {
  const counts: Record<string, number> = {};
  let batch: unknown[] = [];
  let batchOf = '';
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const [db, collection] = batchOf.split('.') as [string, string];
    if (collection === COLLECTIONS.portfolio.name) {
      // An export made without credentials must not erase the credentials already stored here.
      await warehouse.mergeDocuments(db, collection, batch, { strategy: 'set', upsert: true });
    } else {
      await warehouse.upsertDocuments(db, collection, batch);
    }
    counts[batchOf] = (counts[batchOf] ?? 0) + batch.length;
    batch = [];
  };
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let record: { db?: unknown; collection?: unknown; document?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      throw new WarehouseInputError(`line ${lineNumber}: not valid JSON`);
    }
    if (typeof record.db !== 'string' || typeof record.collection !== 'string' || typeof record.document !== 'object') {
      throw new WarehouseInputError(`line ${lineNumber}: expected {"db", "collection", "document"}`);
    }
    const name = `${record.db}.${record.collection}`;
    if (name !== batchOf || batch.length >= IMPORT_BATCH) {
      await flush();
      batchOf = name;
    }
    batch.push(record.document);
  }
  await flush();
  return { counts };
}
