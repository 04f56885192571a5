/**
 * Validation of generic documents and filters (OP jobs, import) against the
 * catalog, shared by every adapter so that the same kwargs are accepted or
 * rejected whatever the store.
 */
import { checkField, type CollectionSpec, type FieldSpec } from './catalog.js';
import { WarehouseInputError } from './errors.js';

/** A document with the original snake_case fields; `time` fields are `Date`s. */
export type WarehouseDocument = Record<string, unknown>;

/** Equality on catalog fields: `{portfolio: "p1", current_time: "2024-01-01T00:00:00Z"}`. */
export type Equality = Readonly<Record<string, unknown>>;

function coerceValue(spec: FieldSpec, value: unknown, where: string): unknown {
  if (value === null || value === undefined) {
    if (spec.required) throw new WarehouseInputError(`${where} is required`);
    return null;
  }
  switch (spec.type) {
    case 'text':
      if (typeof value === 'string') return value;
      break;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'json':
      if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return value;
      break;
    case 'time': {
      const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
      if (date && !Number.isNaN(date.getTime())) return date;
      throw new WarehouseInputError(`${where} must be an ISO-8601 instant (e.g. 2024-01-01T00:00:00Z)`);
    }
  }
  throw new WarehouseInputError(`${where} must be ${spec.type === 'json' ? 'an object' : `a ${spec.type}`}`);
}

export interface CoerceOptions {
  /** Every required field must be present (insert, replace, upsert). */
  readonly complete: boolean;
  /** Fills `tw_time` from `current_time` when the collection has it and the document does not. */
  readonly twTime: (instant: Date) => string;
}

export function coerceDocument(
  collection: CollectionSpec,
  doc: unknown,
  index: number,
  options: CoerceOptions,
): WarehouseDocument {
  const where = `${collection.name} document #${index}`;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new WarehouseInputError(`${where} must be an object`);
  }
  const out: WarehouseDocument = {};
  for (const [field, value] of Object.entries(doc)) {
    out[field] = coerceValue(checkField(collection, field, where), value, `${where}: ${field}`);
  }
  if (options.complete) {
    for (const [field, spec] of Object.entries(collection.fields)) {
      // Throws for a missing required field; a missing optional one stays absent (stores write null).
      if (!(field in out)) coerceValue(spec, undefined, `${where}: ${field}`);
    }
  }
  if ('tw_time' in collection.fields && out['current_time'] instanceof Date && out['tw_time'] == null) {
    out['tw_time'] = options.twTime(out['current_time']);
  }
  return out;
}

/** Equality filters cannot match null: SQL's `= NULL` never matches, so it is refused everywhere. */
export function coerceEquality(collection: CollectionSpec, filter: unknown, where: string): WarehouseDocument {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new WarehouseInputError(`${where} must be an object of field: value`);
  }
  const out: WarehouseDocument = {};
  for (const [field, value] of Object.entries(filter)) {
    const spec = checkField(collection, field, where);
    if (value === null || typeof value === 'object' && !(value instanceof Date)) {
      throw new WarehouseInputError(`${where}: ${field} must be a plain value (only equality is supported)`);
    }
    out[field] = coerceValue({ ...spec, required: true }, value, `${where}: ${field}`);
  }
  return out;
}
