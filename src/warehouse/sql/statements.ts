/**
 * The SQL of the warehouse, shared by SQLite and PostgreSQL: one function per
 * operation, each returning the statement and its parameters. Identifiers come
 * only from the catalog (callers have checked user-supplied names against it)
 * and values are always bound parameters.
 */
import type { CollectionSpec, FieldSpec, Target } from '../catalog.js';
import type { WarehouseDocument } from '../documents.js';
import type { DuplicateScope, RangeQuery } from '../store.js';
import type { SqlDialect } from './dialect.js';

export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

const ident = (name: string): string => `"${name}"`;
const table = (t: Target): string => `${ident(t.database.toLowerCase())}.${ident(t.collection.name)}`;

/** Collects parameters and hands out their placeholders in order. */
class Params {
  readonly values: unknown[] = [];
  constructor(
    private readonly dialect: SqlDialect,
    private readonly collection: CollectionSpec,
  ) {}
  field(field: string, value: unknown): string {
    return this.raw(this.dialect.encode(this.spec(field), value));
  }
  /** A whole column as one array parameter, cast to its array type: dialects with `arrays` only. */
  column(field: string, values: readonly unknown[]): string {
    const spec = this.spec(field);
    const { arrays } = this.dialect;
    if (!arrays) throw new Error(`the ${this.dialect.name} dialect cannot bind a column as an array`);
    return `${this.raw(arrays.encode(spec, values))}::${arrays.type(spec)}`;
  }
  raw(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
  private spec(field: string): FieldSpec {
    const spec = this.collection.fields[field];
    if (!spec) throw new Error(`field ${field} is not in the catalog of ${this.collection.name}`);
    return spec;
  }
}

const fieldsOf = (c: CollectionSpec): string[] => Object.keys(c.fields);

function equalities(p: Params, where: WarehouseDocument): string[] {
  return Object.entries(where).map(([field, value]) => `${ident(field)} = ${p.field(field, value)}`);
}

const whereClause = (conditions: string[]): string => (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '');

/**
 * The rows an INSERT takes, `docs` in order. Where the dialect has `arrays` (PostgreSQL) each column is
 * one array parameter and the rows are `unnest`ed from them: a statement of a few parameters whatever
 * the batch size, so a batch is parsed and planned once instead of binding ten parameters per row.
 * Otherwise (SQLite) a multi-row VALUES with one parameter per field and row.
 */
function insertedRows(p: Params, d: SqlDialect, fields: string[], docs: readonly WarehouseDocument[]): string {
  if (d.arrays) return `SELECT * FROM unnest(${fields.map((f) => p.column(f, docs.map((doc) => doc[f] ?? null))).join(', ')})`;
  return `VALUES ${docs.map((doc) => `(${fields.map((f) => p.field(f, doc[f] ?? null)).join(', ')})`).join(', ')}`;
}

/** Bulk upsert on the natural key, replacing every other field; at most `d.rowsPerInsert` docs. */
export function upsertDocuments(d: SqlDialect, t: Target, docs: readonly WarehouseDocument[]): Statement {
  const p = new Params(d, t.collection);
  const fields = fieldsOf(t.collection);
  const updates = fields.filter((f) => !t.collection.key.includes(f)).map((f) => `${ident(f)} = excluded.${ident(f)}`);
  const sql =
    `INSERT INTO ${table(t)} (${fields.map(ident).join(', ')}) ${insertedRows(p, d, fields, docs)}` +
    ` ON CONFLICT (${t.collection.key.map(ident).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
  return { sql, params: p.values };
}

/** Inserts documents, skipping those whose natural key exists; the affected count is the inserted count. */
export function insertNewDocuments(d: SqlDialect, t: Target, docs: readonly WarehouseDocument[]): Statement {
  const p = new Params(d, t.collection);
  const fields = fieldsOf(t.collection);
  const sql = `INSERT INTO ${table(t)} (${fields.map(ident).join(', ')}) ${insertedRows(p, d, fields, docs)} ON CONFLICT DO NOTHING`;
  return { sql, params: p.values };
}

export function updateMatching(d: SqlDialect, t: Target, where: WarehouseDocument, set: WarehouseDocument): Statement {
  const p = new Params(d, t.collection);
  const assignments = Object.entries(set).map(([f, v]) => `${ident(f)} = ${p.field(f, v)}`);
  const sql = `UPDATE ${table(t)} SET ${assignments.join(', ')}${whereClause(equalities(p, where))}`;
  return { sql, params: p.values };
}

/** One page of `find`, in natural-key order, after the last key of the previous page. */
export function findPage(
  d: SqlDialect,
  t: Target,
  where: WarehouseDocument,
  after: WarehouseDocument | null,
  limit: number,
): Statement {
  const p = new Params(d, t.collection);
  const key = t.collection.key;
  const conditions = equalities(p, where);
  if (after) {
    conditions.push(`(${key.map(ident).join(', ')}) > (${key.map((f) => p.field(f, after[f])).join(', ')})`);
  }
  const sql =
    `SELECT ${fieldsOf(t.collection).map(ident).join(', ')} FROM ${table(t)}${whereClause(conditions)}` +
    ` ORDER BY ${key.map(ident).join(', ')} LIMIT ${p.raw(limit)}`;
  return { sql, params: p.values };
}

export interface RangePage extends RangeQuery {
  readonly after: { readonly time: Date; readonly key: string } | null;
  readonly limit: number;
}

/** `current_time` in [from, to] and, when the query names keys, the key among them. */
function rangeConditions(p: Params, query: RangeQuery, from: Date): string[] {
  const time = ident('current_time');
  const conditions = [`${time} >= ${p.field('current_time', from)}`, `${time} <= ${p.field('current_time', query.to)}`];
  if (query.keys) conditions.push(`${ident(query.keyField)} IN (${query.keys.map((k) => p.field(query.keyField, k)).join(', ')})`);
  return conditions;
}

/**
 * One page of a time-range read ordered by (current_time, key), after the
 * last row of the previous page (keyset paging: each page is an index range
 * scan, whatever its depth).
 */
export function rangePage(d: SqlDialect, t: Target, page: RangePage, fields: readonly string[] = fieldsOf(t.collection)): Statement {
  const p = new Params(d, t.collection);
  const time = ident('current_time');
  const key = ident(page.keyField);
  // One lower bound only (the later of `from` and the previous page's last time), so the planner's
  // index range starts at this page, not at `from`: with two bounds it may pick the wrong one.
  const conditions = rangeConditions(p, page, page.after ? page.after.time : page.from);
  if (page.after) {
    conditions.push(`(${time} > ${p.field('current_time', page.after.time)} OR ${key} > ${p.field(page.keyField, page.after.key)})`);
  }
  const sql =
    `SELECT ${fields.map(ident).join(', ')} FROM ${table(t)}${whereClause(conditions)}` +
    ` ORDER BY ${time}, ${key} LIMIT ${p.raw(page.limit)}`;
  return { sql, params: p.values };
}

/** Deletes every row a range read over the same query would return. */
export function deleteRange(d: SqlDialect, t: Target, query: RangeQuery): Statement {
  const p = new Params(d, t.collection);
  return { sql: `DELETE FROM ${table(t)}${whereClause(rangeConditions(p, query, query.from))}`, params: p.values };
}

/** The newest row of one key, optionally strictly before an instant. */
export function latestOfKey(d: SqlDialect, t: Target, keyField: string, key: string, before?: Date): Statement {
  const p = new Params(d, t.collection);
  const conditions = [`${ident(keyField)} = ${p.field(keyField, key)}`];
  if (before) conditions.push(`${ident('current_time')} < ${p.field('current_time', before)}`);
  const sql =
    `SELECT ${fieldsOf(t.collection).map(ident).join(', ')} FROM ${table(t)}${whereClause(conditions)}` +
    ` ORDER BY ${ident('current_time')} DESC LIMIT 1`;
  return { sql, params: p.values };
}

function scopeConditions(p: Params, s: DuplicateScope): string[] {
  const conditions = equalities(p, s.extraMatch);
  if (s.timeStart) conditions.push(`${ident(s.timeField)} >= ${p.field(s.timeField, s.timeStart)}`);
  if (s.timeEnd) conditions.push(`${ident(s.timeField)} <= ${p.field(s.timeField, s.timeEnd)}`);
  return conditions;
}

/** Rows in scope (`row_count`) and distinct groups among them (`group_count`). */
export function countGroups(d: SqlDialect, t: Target, s: DuplicateScope): Statement {
  const p = new Params(d, t.collection);
  const sql =
    `SELECT COUNT(*) AS group_count, COALESCE(SUM(n), 0) AS row_count FROM (SELECT COUNT(*) AS n FROM ${table(t)}` +
    `${whereClause(scopeConditions(p, s))} GROUP BY ${s.groupFields.map(ident).join(', ')}) AS g`;
  return { sql, params: p.values };
}

/**
 * Deletes up to `limit` rows that are not the newest of their group. The
 * keeper of each group ranks first under the same order in every batch, so
 * repeating this until it deletes nothing leaves exactly one row per group.
 */
export function deleteDuplicateBatch(d: SqlDialect, t: Target, s: DuplicateScope, limit: number): Statement {
  const p = new Params(d, t.collection);
  const key = t.collection.key.map(ident).join(', ');
  const order = [
    `${ident(s.timeField)} DESC`,
    ...s.tiebreak.map(([f, dir]) => `${ident(f)} ${dir === 1 ? 'ASC' : 'DESC'}`),
    ...t.collection.key.map((f) => `${ident(f)} ASC`),
  ];
  const ranked =
    `SELECT ${key}, ROW_NUMBER() OVER (PARTITION BY ${s.groupFields.map(ident).join(', ')} ORDER BY ${order.join(', ')}) AS rn` +
    ` FROM ${table(t)}${whereClause(scopeConditions(p, s))}`;
  const sql = `DELETE FROM ${table(t)} WHERE (${key}) IN (SELECT ${key} FROM (${ranked}) AS ranked WHERE rn > 1 LIMIT ${p.raw(limit)})`;
  return { sql, params: p.values };
}

/** A row as a document of `fields` (every catalog field by default). */
export function decodeRow(
  collection: CollectionSpec,
  d: SqlDialect,
  row: Record<string, unknown>,
  fields: readonly string[] = fieldsOf(collection),
): WarehouseDocument {
  const doc: WarehouseDocument = {};
  for (const field of fields) doc[field] = d.decode(collection.fields[field]!, row[field] ?? null);
  return doc;
}
