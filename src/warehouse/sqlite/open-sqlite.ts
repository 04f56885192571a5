/**
 * SQLite adapter: one file per database, named as the original databases
 * (`C_DATA.sqlite`, `C_MART.sqlite`, `T_DATA.sqlite`, `T_MART.sqlite`) in one
 * directory. The pair IS_TEST selects is migrated and attached to one
 * connection under the same schema names PostgreSQL uses (`c_data`, ...), so
 * the shared SQL runs unchanged.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { physicalDatabase, type LogicalDatabase, type PhysicalDatabase } from '../catalog.js';
import { LEDGER_TABLE, loadMigrations, pendingMigrations } from '../migrations.js';
import { sqliteDialect } from '../sql/dialect.js';
import { SqlStore, type SqlDriver, type SqlExecutor } from '../sql/sql-store.js';
import type { Statement } from '../sql/statements.js';

/** Waits this long for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 10_000;

function migrate(file: string, database: PhysicalDatabase, kind: LogicalDatabase): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const known = loadMigrations(new URL(`../../../migrations/warehouse/sqlite/${kind.toLowerCase()}/`, import.meta.url));
    // BEGIN IMMEDIATE takes the write lock before reading the ledger: it is the migration lock between processes.
    db.transaction(() => {
      const row = db.prepare(`SELECT MAX(version) AS version FROM ${LEDGER_TABLE}`).get() as { version: number | null };
      for (const m of pendingMigrations(database, row.version ?? 0, known)) {
        db.exec(m.sql);
        db.prepare(`INSERT INTO ${LEDGER_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`).run(m.version, m.name, new Date().toISOString());
      }
    }).immediate();
  } finally {
    db.close();
  }
}

/** Serialises work on the one connection so a transaction never sees another operation's statements. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

class SqliteDriver implements SqlDriver {
  readonly dialect = sqliteDialect;
  private readonly mutex = new Mutex();
  private readonly direct: SqlExecutor;

  constructor(private readonly db: Database.Database) {
    this.direct = {
      all: async (s: Statement) => db.prepare(s.sql).all(...s.params) as Record<string, unknown>[],
      run: async (s: Statement) => db.prepare(s.sql).run(...s.params).changes,
    };
  }

  all(s: Statement): Promise<Record<string, unknown>[]> {
    return this.mutex.run(() => this.direct.all(s));
  }

  run(s: Statement): Promise<number> {
    return this.mutex.run(() => this.direct.run(s));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => this.db.close());
  }
}

export function openSqliteStore(options: { readonly directory: string; readonly isTest: boolean }): SqlStore {
  mkdirSync(options.directory, { recursive: true });
  const db = new Database(':memory:');
  for (const kind of ['DATA', 'MART'] as const) {
    const database = physicalDatabase(kind, options.isTest);
    const file = join(options.directory, `${database}.sqlite`);
    migrate(file, database, kind);
    const schema = database.toLowerCase();
    db.prepare(`ATTACH DATABASE ? AS ${schema}`).run(file);
    // WAL makes NORMAL durable up to the last checkpointed commit, and much faster for snapshot bursts.
    db.pragma(`${schema}.synchronous = NORMAL`);
  }
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return new SqlStore(new SqliteDriver(db));
}
