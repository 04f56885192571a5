/**
 * PostgreSQL adapter: one schema per original database (`c_data`, `c_mart`,
 * `t_data`, `t_mart`) in the database the URL names. Migrations run under a
 * transaction-scoped advisory lock, so instances starting together migrate once.
 */
import pg from 'pg';
import { physicalDatabase } from '../catalog.js';
import { LEDGER_TABLE, loadMigrations, pendingMigrations } from '../migrations.js';
import { postgresDialect } from '../sql/dialect.js';
import { SqlStore, type SqlDriver, type SqlExecutor } from '../sql/sql-store.js';
import type { Statement } from '../sql/statements.js';
import { warehouseTypes } from './timestamptz.js';

/** Arbitrary, fixed: the advisory lock id all Kairos instances use for warehouse migrations. */
const MIGRATION_LOCK_ID = 727_310_011;

type Queryable = pg.Pool | pg.PoolClient;

const executor = (q: Queryable): SqlExecutor => ({
  all: async (s: Statement) => (await q.query(s.sql, s.params)).rows as Record<string, unknown>[],
  run: async (s: Statement) => (await q.query(s.sql, s.params)).rowCount ?? 0,
});

class PostgresDriver implements SqlDriver {
  readonly dialect = postgresDialect;
  private readonly direct: SqlExecutor;

  constructor(private readonly pool: pg.Pool) {
    this.direct = executor(pool);
  }

  all(s: Statement): Promise<Record<string, unknown>[]> {
    return this.direct.all(s);
  }

  run(s: Statement): Promise<number> {
    return this.direct.run(s);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(executor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

async function migrate(pool: pg.Pool, isTest: boolean): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    for (const kind of ['DATA', 'MART'] as const) {
      const database = physicalDatabase(kind, isTest);
      // Schema names come from the catalog's fixed list, never from input.
      const schema = database.toLowerCase();
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.${LEDGER_TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number | null }>(`SELECT MAX(version) AS version FROM ${schema}.${LEDGER_TABLE}`);
      const known = loadMigrations(new URL(`../../../migrations/warehouse/postgres/${kind.toLowerCase()}/`, import.meta.url));
      for (const m of pendingMigrations(database, rows[0]?.version ?? 0, known)) {
        await client.query(`SET LOCAL search_path TO ${schema}`);
        await client.query(m.sql);
        await client.query(`INSERT INTO ${schema}.${LEDGER_TABLE} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function openPostgresStore(options: { readonly url: string; readonly isTest: boolean }): Promise<SqlStore> {
  const pool = new pg.Pool({ connectionString: options.url, max: 4, types: warehouseTypes });
  // An idle client's error (e.g. the server restarting) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, options.isTest);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new SqlStore(new PostgresDriver(pool));
}
