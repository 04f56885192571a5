/** What differs between the SQL stores; everything else in `sql/` is shared. */
import type { FieldSpec } from '../catalog.js';
import { ARRAY_TYPES, binaryArray } from '../postgres/binary-arrays.js';

export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The n-th (1-based) bound parameter. */
  placeholder(n: number): string;
  encode(spec: FieldSpec, value: unknown): unknown;
  decode(spec: FieldSpec, value: unknown): unknown;
  /**
   * Where the engine has arrays (PostgreSQL): a whole column of a batch as one parameter, its SQL
   * array type and its encoding. Inserts then bind one parameter per column and `unnest` them.
   * Absent on SQLite.
   */
  readonly arrays?: {
    type(spec: FieldSpec): string;
    encode(spec: FieldSpec, values: readonly unknown[]): unknown;
  };
  /** Rows per INSERT statement; a batch larger than this is split into several in one transaction. */
  readonly rowsPerInsert: number;
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  placeholder: (n) => `$${n}`,
  // timestamptz takes Date directly; jsonb takes its text form from a parameter.
  encode: (spec, value) => (value !== null && spec.type === 'json' ? JSON.stringify(value) : value),
  decode: (_spec, value) => value,
  arrays: { type: (spec) => ARRAY_TYPES[spec.type], encode: (spec, values) => binaryArray(spec.type, values) },
  // No parameter limit with one array per column: this only bounds the size of one statement's parameters.
  rowsPerInsert: 10_000,
};

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  placeholder: () => '?',
  // One parameter per field and row: well under SQLite's bound-parameter limit for the widest table.
  rowsPerInsert: 500,
  // Instants as fixed-width ISO-8601 UTC text: sortable as text and readable in the sqlite3 shell.
  encode(spec, value) {
    if (value === null) return null;
    if (spec.type === 'time') return (value as Date).toISOString();
    if (spec.type === 'json') return JSON.stringify(value);
    return value;
  },
  decode(spec, value) {
    if (value === null) return null;
    if (spec.type === 'time') return new Date(value as string);
    if (spec.type === 'json') return JSON.parse(value as string) as unknown;
    return value;
  },
};
