import type pg from 'pg';
import type { AlertThrottleStore } from './alert-throttle-store.js';
import { claimAlertSql, createAlertThrottleTableSql } from './pg-alert-throttle-sql.js';

/** Throttle state in PostgreSQL, shared by every instance using the same database and schema. */
export class PgAlertThrottleStore implements AlertThrottleStore {
  private readonly schema: string;
  private readonly claimSql: string;

  /** @param schema where the `alert_throttle` table lives. @default 'kairos' */
  constructor(
    private readonly pool: pg.Pool,
    schema = 'kairos',
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`schema name ${JSON.stringify(schema)} is not a plain lower-case SQL identifier`);
    }
    this.schema = `"${schema}"`;
    this.claimSql = claimAlertSql(this.schema);
  }

  /**
   * Creates the schema and table if missing. Safe when several instances start
   * at once: `IF NOT EXISTS` alone can still collide in the catalog, so the
   * creation is serialised by a transaction-scoped advisory lock.
   */
  async ensureSchema(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('kairos.alert_throttle'))`);
      await client.query(createAlertThrottleTableSql(this.schema));
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async claim(key: string, messageHash: string | null, now: Date, cooldownSec: number): Promise<boolean> {
    const result = await this.pool.query(this.claimSql, [key, messageHash, now, cooldownSec]);
    return result.rowCount === 1;
  }
}
