/**
 * The warehouse's fixed shape (SPEC 11): which databases hold which
 * collections, their fields and natural keys. Every identifier that reaches
 * SQL or a Mongo query comes from here, so user-supplied names (OP job kwargs)
 * are looked up, never interpolated.
 */
import { WarehouseInputError } from './errors.js';

export type LogicalDatabase = 'DATA' | 'MART';
export type PhysicalDatabase = 'C_DATA' | 'C_MART' | 'T_DATA' | 'T_MART';

export type FieldType = 'text' | 'number' | 'time' | 'json';

export interface FieldSpec {
  readonly type: FieldType;
  /** A document inserted or replaced without this field is rejected. */
  readonly required: boolean;
}

export interface CollectionSpec {
  readonly database: LogicalDatabase;
  readonly name: string;
  /** Unique key; also the stable order of `find`. */
  readonly key: readonly string[];
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /**
   * Upserts are applied in the order given, so a crash mid-batch leaves a
   * prefix of it. Performance rows need this: each key's newest stored row
   * seeds the next mart run, so a later row stored without an earlier one
   * would leave a hole for good (src/marts/README.md, rule 4). The SQL stores
   * write a batch in one transaction, which gives it anyway; MongoDB does not.
   */
  readonly orderedWrites: boolean;
}

const text = (required = false): FieldSpec => ({ type: 'text', required });
const num = (required = false): FieldSpec => ({ type: 'number', required });

const performanceFields = (keyField: string): Record<string, FieldSpec> => ({
  [keyField]: text(true),
  total_usd_value: num(true),
  history_high: num(true),
  nav: num(true),
  current_return: num(true),
  crr: num(true),
  cd: num(true),
  mdd: num(true),
  current_time: { type: 'time', required: true },
  tw_time: text(),
});

export const CREDENTIAL_FIELDS = ['api_key', 'api_secret', 'password', 'memo'] as const;

export const COLLECTIONS = {
  portfolio: {
    database: 'DATA',
    name: 'portfolio',
    key: ['portfolio'],
    orderedWrites: false,
    fields: {
      portfolio: text(true),
      exchange: text(true),
      status: text(true),
      api_key: text(),
      api_secret: text(),
      password: text(),
      memo: text(),
      position_threshold: num(),
      master_portfolio: text(),
      composite: text(),
    },
  },
  account_summary_1_minute: {
    database: 'DATA',
    name: 'account_summary_1_minute',
    key: ['portfolio', 'current_time'],
    // Nothing seeds from the newest summary: one lost from a batch is a missing snapshot, which the marts handle.
    orderedWrites: false,
    fields: {
      portfolio: text(true),
      exchange: text(true),
      total_usd_value: num(true),
      balances: { type: 'json', required: true },
      transfer_adjustment: num(true),
      current_time: { type: 'time', required: true },
      tw_time: text(),
    },
  },
  portfolio_performance: {
    database: 'MART',
    name: 'portfolio_performance',
    key: ['portfolio', 'current_time'],
    orderedWrites: true,
    fields: performanceFields('portfolio'),
  },
  master_portfolio_performance: {
    database: 'MART',
    name: 'master_portfolio_performance',
    key: ['master_portfolio', 'current_time'],
    orderedWrites: true,
    fields: performanceFields('master_portfolio'),
  },
} as const satisfies Record<string, CollectionSpec>;

export type CollectionName = keyof typeof COLLECTIONS;

/** Database and collection an operation works on, already checked against the catalog. */
export interface Target {
  readonly database: PhysicalDatabase;
  readonly collection: CollectionSpec;
}

export function physicalDatabase(logical: LogicalDatabase, isTest: boolean): PhysicalDatabase {
  return `${isTest ? 'T' : 'C'}_${logical}`;
}

/**
 * Resolves an OP job's `db_name`. The logical names follow IS_TEST; a physical
 * name is accepted only for the pair IS_TEST selects, so a hand-triggered job
 * can never cross from the test databases into production or back.
 */
export function resolveTarget(dbName: string, collName: string, isTest: boolean): Target {
  const upper = dbName.toUpperCase();
  const logical = upper === 'DATA' || upper === 'MART' ? upper : null;
  const database = logical ? physicalDatabase(logical, isTest) : upper;
  const allowed = [physicalDatabase('DATA', isTest), physicalDatabase('MART', isTest)];
  if (!allowed.includes(database as PhysicalDatabase)) {
    throw new WarehouseInputError(
      `unknown database "${dbName}": use DATA or MART (or ${allowed.join(' / ')}, the pair IS_TEST=${isTest} selects)`,
    );
  }
  const collection = (COLLECTIONS as Record<string, CollectionSpec>)[collName];
  const known = Object.values(COLLECTIONS).filter((c) => c.database === database.slice(2));
  if (!collection || collection.database !== database.slice(2)) {
    throw new WarehouseInputError(
      `unknown collection "${collName}" in ${database}: known collections are ${known.map((c) => c.name).join(', ')}`,
    );
  }
  return { database: database as PhysicalDatabase, collection };
}

export function checkField(collection: CollectionSpec, field: string, what: string): FieldSpec {
  const spec = collection.fields[field];
  if (!spec) {
    throw new WarehouseInputError(
      `unknown field "${field}" in ${what} for ${collection.name}: known fields are ${Object.keys(collection.fields).join(', ')}`,
    );
  }
  return spec;
}
