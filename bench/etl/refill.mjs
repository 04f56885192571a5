#!/usr/bin/env node
/**
 * Refill benchmark over the warehouse written by generate-summaries.mjs
 * (PostgreSQL). Each measurement runs in its own child process so its peak
 * RSS is its own:
 *
 * - floor: a plain streaming SELECT of every summary column (server-side
 *   cursor, 10k rows per FETCH): the physical floor of reading the input;
 * - refill portfolio / master: `refill` from dist/, over the whole range;
 * - reference: the original's approach, per minute and per portfolio: query
 *   the latest row, read the summary, compute, insert one row. Run on a slice
 *   (--reference-minutes, into the T_MART pair) and extrapolated to the
 *   portfolio refill's row count; the table says so.
 *
 *   npm run build && node bench/etl/refill.mjs [--reference-minutes 60]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chainStep } from '../../dist/performance/index.js';
import { refill } from '../../dist/marts/refill.js';
import { openWarehouse } from '../../dist/warehouse/open-warehouse.js';
import { BENCH_URL, START } from './generate-summaries.mjs';

const RSS_LIMIT_MB = 512;
const open = (isTest) => openWarehouse({ postgresUrl: BENCH_URL, isTest });
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function lastSummaryTime() {
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT max("current_time") AS t, count(DISTINCT portfolio)::int AS n FROM c_data.account_summary_1_minute');
    return { end: rows[0].t, portfolios: rows[0].n };
  } finally {
    await client.end();
  }
}

const phases = {
  async floor() {
    const client = new pg.Client({ connectionString: BENCH_URL });
    await client.connect();
    let rows = 0;
    const started = performance.now();
    try {
      await client.query('BEGIN');
      await client.query('DECLARE floor NO SCROLL CURSOR FOR SELECT * FROM c_data.account_summary_1_minute ORDER BY portfolio, "current_time"');
      for (;;) {
        const page = await client.query('FETCH 10000 FROM floor');
        rows += page.rowCount;
        if (page.rowCount === 0) break;
      }
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    return { rows, seconds: (performance.now() - started) / 1000 };
  },

  async refillPortfolio() {
    return runRefill('portfolio');
  },

  async refillMaster() {
    return runRefill('master');
  },

  async reference({ minutes }) {
    const source = await open(false);
    const target = await open(true);
    const keys = (await source.portfolios()).map((p) => p.portfolio).sort();
    let rows = 0;
    const started = performance.now();
    try {
      for (let m = 0; m < minutes; m += 1) {
        const t = new Date(START.getTime() + m * 60_000);
        for (const key of keys) {
          const [prev] = await target.latestPerformance('portfolio', [key]);
          for await (const s of source.streamSummaries({ from: t, to: t, portfolios: [key] })) {
            const row = chainStep(key, prev ?? null, { t, value: s.totalUsdValue, adjustment: s.transferAdjustment });
            if (row) {
              await target.upsertPerformanceRows('portfolio', [row]);
              rows += 1;
            }
          }
        }
      }
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
    return { rows, seconds: (performance.now() - started) / 1000 };
  },
};

async function runRefill(kind) {
  const warehouse = await open(false);
  const { end } = await lastSummaryTime();
  const started = performance.now();
  try {
    const report = await refill({ warehouse, openWarehouse: open }, { kind, from: START, to: end });
    return { rows: report.rows, keys: report.keys, seconds: (performance.now() - started) / 1000 };
  } finally {
    await warehouse.close();
  }
}

async function child(phase, minutes) {
  const result = await phases[phase]({ minutes });
  console.log(JSON.stringify({ ...result, peakMb: peakMb() }));
}

function measure(phase, minutes) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--phase', phase, '--reference-minutes', String(minutes)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (out.status !== 0) throw new Error(`${phase} failed (exit ${out.status})`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1));
}

async function main() {
  const { values } = parseArgs({ options: { phase: { type: 'string' }, 'reference-minutes': { type: 'string', default: '60' } } });
  const minutes = Number(values['reference-minutes']);
  if (values.phase) return child(values.phase, minutes);

  const { end, portfolios } = await lastSummaryTime();
  console.log(`warehouse ${BENCH_URL}: ${portfolios} portfolios, ${START.toISOString()} .. ${end.toISOString()}`);
  const results = {};
  for (const phase of ['floor', 'refillPortfolio', 'refillMaster', 'reference']) {
    results[phase] = measure(phase, minutes);
    console.error(`${phase}: ${JSON.stringify(results[phase])}`);
  }
  const rate = (r) => r.rows / r.seconds;
  const fullRows = results.refillPortfolio.rows;
  const table = [
    ['measurement', 'rows', 'seconds', 'rows/s', 'peak RSS MB', 'note'],
    ['floor: streaming SELECT *', results.floor.rows, results.floor.seconds, rate(results.floor), results.floor.peakMb, 'summaries read, nothing computed or written'],
    ['refill portfolio', fullRows, results.refillPortfolio.seconds, rate(results.refillPortfolio), results.refillPortfolio.peakMb, `${results.refillPortfolio.keys} keys, rows written`],
    ['refill master', results.refillMaster.rows, results.refillMaster.seconds, rate(results.refillMaster), results.refillMaster.peakMb, `${results.refillMaster.keys} keys (masters + composite), rows written`],
    ['reference, per minute', results.reference.rows, results.reference.seconds, rate(results.reference), results.reference.peakMb, `measured on ${minutes} minutes`],
    ['reference, extrapolated', fullRows, fullRows / rate(results.reference), rate(results.reference), '-', `${fullRows} rows at the measured rate`],
  ];
  const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 1 })) : v);
  const cells = table.map((row) => row.map(fmt));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  for (const [i, row] of cells.entries()) {
    console.log(`| ${row.map((c, j) => String(c).padEnd(widths[j])).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
  const worst = Math.max(results.refillPortfolio.peakMb, results.refillMaster.peakMb);
  console.log(`peak RSS of the refills: ${worst} MB (limit ${RSS_LIMIT_MB} MB): ${worst < RSS_LIMIT_MB ? 'ok' : 'OVER'}`);
  if (worst >= RSS_LIMIT_MB) process.exitCode = 1;
}

await main();
