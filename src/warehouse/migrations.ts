/**
 * Numbered, append-only plain-SQL migrations (`NNN_name.sql`), one set per
 * logical database kind (data, mart) and dialect. Each physical database keeps
 * a ledger table `warehouse_migrations`; a ledger newer than the files this
 * build ships is refused instead of run against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { WarehouseSchemaError } from './errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const FILE = /^(\d+)_([\w-]+)\.sql$/;

/** Reads `dir` (a file URL ending in `/`), in version order. */
export function loadMigrations(dir: URL): Migration[] {
  return readdirSync(dir)
    .flatMap((file) => {
      const match = FILE.exec(file);
      return match ? [{ version: Number(match[1]), name: match[2] ?? file, sql: readFileSync(new URL(file, dir), 'utf8') }] : [];
    })
    .sort((a, b) => a.version - b.version);
}

/** The migrations still to apply to `database`, or an error if its schema is newer than this build. */
export function pendingMigrations(database: string, appliedVersion: number, known: readonly Migration[]): Migration[] {
  const newest = known.at(-1)?.version ?? 0;
  if (appliedVersion > newest) {
    throw new WarehouseSchemaError(
      `warehouse database ${database} is at schema version ${appliedVersion}, newer than this Kairos knows (${newest}): upgrade Kairos instead of running an older version against it`,
    );
  }
  return known.filter((m) => m.version > appliedVersion);
}

export const LEDGER_TABLE = 'warehouse_migrations';
