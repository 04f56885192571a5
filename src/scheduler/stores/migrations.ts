import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Numbered, append-only SQL files under `migrations/job-store/<dialect>/` at the package root. */
export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = fileURLToPath(new URL(`../../../migrations/job-store/${dialect}/`, import.meta.url));
  return readdirSync(dir)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number.parseInt(file, 10),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(dir + file, 'utf8'),
    }));
}

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `the job store schema is at version ${found} but this Kairos knows migrations up to ${known}: ` +
        'upgrade Kairos (or point it at another store); refusing to run against a newer schema',
    );
    this.name = 'SchemaTooNewError';
  }
}
