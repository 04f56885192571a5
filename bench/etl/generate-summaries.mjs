#!/usr/bin/env node
/**
 * Generates 1-minute account summaries for the refill benchmark into a fresh
 * PostgreSQL warehouse database (default: one year x 10 portfolios = 5.26 M rows).
 * Rows are generated server-side (INSERT ... SELECT over generate_series, one
 * statement per portfolio): a seeded random walk of V with a transfer about
 * once a day. Run `npm run build` first.
 *
 *   node bench/etl/generate-summaries.mjs [--days 365] [--portfolios 10]
 *   env BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/kairos_bench_etl)
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openWarehouse } from '../../dist/warehouse/open-warehouse.js';

export const BENCH_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/kairos_bench_etl';
export const START = new Date('2024-01-01T00:00:00Z');
/** 10 portfolios in 3 masters; masters m0 and m1 also form composite c0. */
export const portfolioName = (i) => `p${String(i).padStart(2, '0')}`;
const masterOf = (i) => `m${i % 3}`;

async function recreateDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

async function main() {
  const { values } = parseArgs({ options: { days: { type: 'string', default: '365' }, portfolios: { type: 'string', default: '10' } } });
  const days = Number(values.days);
  const count = Number(values.portfolios);
  const minutes = days * 1440;
  await recreateDatabase(BENCH_URL);
  const wh = await openWarehouse({ postgresUrl: BENCH_URL, isTest: false }); // migrates c_data/c_mart
  for (let i = 0; i < count; i += 1) {
    const master = masterOf(i);
    await wh.upsertPortfolio(
      { portfolio: portfolioName(i), exchange: 'simulated', status: 'active', positionThreshold: null, masterPortfolio: master, composite: master === 'm2' ? null : 'c0' },
      { apiKey: 'k', apiSecret: 's' },
    );
  }
  await wh.close();

  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  const started = performance.now();
  try {
    for (let i = 0; i < count; i += 1) {
      await client.query('SELECT setseed($1)', [(i + 1) / (count + 1)]);
      // walk = cumulative log-return; a transfer (in < 0 < out) about once a day.
      await client.query(
        `INSERT INTO c_data.account_summary_1_minute
           (portfolio, exchange, total_usd_value, balances, transfer_adjustment, "current_time", tw_time)
         SELECT $1, 'simulated', v, jsonb_build_object('USDT', jsonb_build_object('total', v, 'available', v, 'notional', v, 'liability', 0, 'interest', 0)),
                a, t, to_char(t AT TIME ZONE 'Asia/Taipei', 'YYYY-MM-DD HH24:MI:SS')
         FROM (
           SELECT t, round((10000 * exp(sum(step) OVER (ORDER BY t)))::numeric, 2)::float8 AS v,
                  CASE WHEN random() < 1.0 / 1440 THEN round(((random() - 0.5) * 2000)::numeric, 2)::float8 ELSE 0 END AS a
           FROM (SELECT $2::timestamptz + make_interval(mins => g) AS t, (random() - 0.5) * 0.002 AS step
                 FROM generate_series(0, $3 - 1) AS g) AS s
         ) AS w`,
        [portfolioName(i), START.toISOString(), minutes],
      );
      process.stdout.write(`\r${portfolioName(i)} done (${Math.round((performance.now() - started) / 1000)} s)`);
    }
    await client.query('ANALYZE c_data.account_summary_1_minute');
  } finally {
    await client.end();
  }
  console.log(`\n${(count * minutes).toLocaleString('en-US')} summaries (${count} portfolios x ${days} days) in ${BENCH_URL} in ${Math.round((performance.now() - started) / 1000)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
