/** What differs between the SQL stores; everything else in `sql/` is shared. */
import type { FieldSpec } from '../catalog.js';

export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The n-th (1-based) bound parameter. */
  placeholder(n: number): string;
  encode(spec: FieldSpec, value: unknown): unknown;
  decode(spec: FieldSpec, value: unknown): unknown;
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  placeholder: (n) => `$${n}`,
  // timestamptz takes Date directly; jsonb takes its text form from a parameter.
  encode: (spec, value) => (value !== null && spec.type === 'json' ? JSON.stringify(value) : value),
  decode: (_spec, value) => value,
};

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  placeholder: () => '?',
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
