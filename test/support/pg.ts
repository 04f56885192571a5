import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** Where tests find PostgreSQL; CI starts it on 127.0.0.1:5432 with trust auth. */
export const TEST_PG_URL = process.env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database for one test file, so files run in parallel without sharing
 * state. It is left in place after the run for inspection and dropped the next
 * time a database with the same prefix is created more than an hour later.
 */
export async function createTestDatabase(prefix: string): Promise<string> {
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    const name = `kairos_${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(TEST_PG_URL);
    url.pathname = `/${name}`;
    return url.toString();
  } finally {
    await admin.end();
  }
}
