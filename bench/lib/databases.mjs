import pg from 'pg';

/** The shared PostgreSQL (trust auth); TEST_PG_URL points elsewhere, as for the tests. */
const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(statement) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates a fresh `kairos_bench_*` database and returns its URL. */
export async function freshDatabase(name) {
  if (!/^kairos_bench_[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name) {
  if (!/^kairos_bench_[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export async function postgresReachable() {
  try {
    await admin('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
