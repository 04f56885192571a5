#!/usr/bin/env node
/**
 * Refill benchmark over the warehouse written by generate-summaries.mjs
 * (PostgreSQL). Each measurement runs in its own child process so its peak
 * RSS is its own:
 *
 * - floor: a plain streaming SELECT of every summary column (server-side
 *   cursor, 10k rows per FETCH): the physical floor of reading the input;
 * - floor, chain columns: the same over the four columns the marts read
 *   (portfolio, time, V, A), which is what a refill actually reads;
 * - refill portfolio / master: `kairos refill` (the CLI's code, in process)
 *   over the whole range, into an emptied mart table;
 * - reference: the original's approach, per minute and per portfolio: query
 *   the latest row, read the summary, compute, insert one row. Run on a slice
 *   (--reference-minutes, into the T_MART pair) and extrapolated to the
 *   portfolio refill's row count; the table says so.
 *
 * Prints a Markdown table and writes the figures to
 * bench/results/etl-refill-<date>.json (or --out).
 *
 *   npm run build && node bench/etl/refill.mjs [--reference-minutes 60] [--out file.json]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chainStep } from '../../dist/performance/index.js';
import { openWarehouse } from '../../dist/warehouse/open-warehouse.js';
import { BENCH_URL, START } from './generate-summaries.mjs';

const RSS_LIMIT_MB = 512;
const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, '..', 'results');
const TABLES = { portfolio: 'portfolio_performance', master: 'master_portfolio_performance' };
const open = (isTest) => openWarehouse({ postgresUrl: BENCH_URL, isTest });
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function withClient(work) {
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const lastSummaryTime = () =>
  withClient(async (client) => {
    const { rows } = await client.query('SELECT max("current_time") AS t, count(DISTINCT portfolio)::int AS n FROM c_data.account_summary_1_minute');
    return { end: rows[0].t, portfolios: rows[0].n };
  });

/** Streams a query through a server-side cursor and counts the rows. */
const streamAll = (select) =>
  withClient(async (client) => {
    let rows = 0;
    const started = performance.now();
    await client.query('BEGIN');
    await client.query(`DECLARE floor NO SCROLL CURSOR FOR ${select}`);
    for (;;) {
      const page = await client.query('FETCH 10000 FROM floor');
      rows += page.rowCount;
      if (page.rowCount === 0) break;
    }
    await client.query('COMMIT');
    return { rows, seconds: (performance.now() - started) / 1000 };
  });

const phases = {
  floor: () => streamAll('SELECT * FROM c_data.account_summary_1_minute ORDER BY portfolio, "current_time"'),

  floorChain: () =>
    streamAll('SELECT portfolio, "current_time", total_usd_value, transfer_adjustment FROM c_data.account_summary_1_minute ORDER BY portfolio, "current_time"'),

  refillPortfolio: () => runRefill('portfolio'),

  refillMaster: () => runRefill('master'),

  async reference({ minutes }) {
    const source = await open(false);
    const target = await open(true); // migrates the T_* schemas on first use
    // From an empty table, as the refills: each minute's "latest row" is then the previous minute's.
    await withClient((client) => client.query(`TRUNCATE t_mart.${TABLES.portfolio}`));
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

/**
 * `kairos refill` over everything, through the CLI's own code (configuration from the
 * environment, progress lines on stderr), after emptying the mart table so that every run
 * measures the same work: computing and inserting every row, nothing to delete first.
 */
async function runRefill(kind) {
  const { end } = await lastSummaryTime();
  await withClient((client) => client.query(`TRUNCATE c_mart.${TABLES[kind]}`));
  process.env.KAIROS_WAREHOUSE_URL = BENCH_URL;
  const { main } = await import('../../dist/cli/main.js');
  const started = performance.now();
  const code = await main(['refill', ...(kind === 'master' ? ['--master'] : []), '--from', START.toISOString(), '--to', end.toISOString()]);
  if (code !== 0) throw new Error(`kairos refill exited ${code}`);
  return { seconds: (performance.now() - started) / 1000 };
}

async function child(phase, minutes) {
  const result = await phases[phase]({ minutes });
  console.log(JSON.stringify({ ...result, peakMb: peakMb() }));
}

/** Runs a phase in a child (cwd: a temp dir, so no .env redirects the warehouse); merges the JSON lines it prints. */
function measure(phase, minutes) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--phase', phase, '--reference-minutes', String(minutes)], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (out.status !== 0) throw new Error(`${phase} failed (exit ${out.status})`);
  const lines = out.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  // The refill phases print the CLI's report (rows, keys, deleted) before their own line (time, RSS).
  return Object.assign({}, ...lines.map((l) => JSON.parse(l)));
}

function environment() {
  const git = (...args) => execFileSync('git', args, { cwd: HERE, encoding: 'utf8' }).trim();
  const postgres = execFileSync('psql', [BENCH_URL, '-Atc', 'SHOW server_version'], { encoding: 'utf8' }).trim();
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no').length > 0,
    cpu: os.cpus()[0]?.model.trim(),
    cores: os.cpus().length,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgresql: postgres,
  };
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 1 })) : v);

function markdown(table) {
  const cells = table.map((row) => row.map(fmt));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  return cells
    .flatMap((row, i) => {
      const line = `| ${row.map((c, j) => String(c).padEnd(widths[j])).join(' | ')} |`;
      return i === 0 ? [line, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`] : [line];
    })
    .join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { phase: { type: 'string' }, 'reference-minutes': { type: 'string', default: '60' }, out: { type: 'string' } } });
  const minutes = Number(values['reference-minutes']);
  if (values.phase) return child(values.phase, minutes);

  const date = new Date();
  const { end, portfolios } = await lastSummaryTime();
  const loadAtStart = loadavg();
  console.log(`warehouse ${BENCH_URL}: ${portfolios} portfolios, ${START.toISOString()} .. ${end.toISOString()}; load average ${loadAtStart}`);
  const results = {};
  for (const phase of ['floor', 'floorChain', 'refillPortfolio', 'refillMaster', 'reference']) {
    results[phase] = measure(phase, minutes);
    console.error(`${phase}: ${JSON.stringify(results[phase])} (load average ${loadavg()})`);
  }
  const loadAtEnd = loadavg();
  const rate = (r) => r.rows / r.seconds;
  const fullRows = results.refillPortfolio.rows;
  const table = [
    ['measurement', 'rows', 'seconds', 'rows/s', 'peak RSS MB', 'note'],
    ['floor: streaming SELECT *', results.floor.rows, results.floor.seconds, rate(results.floor), results.floor.peakMb, 'summaries read, nothing computed or written'],
    ['floor: the 4 columns the chain reads', results.floorChain.rows, results.floorChain.seconds, rate(results.floorChain), results.floorChain.peakMb, 'portfolio, time, V, A: what a refill reads'],
    ['kairos refill', fullRows, results.refillPortfolio.seconds, rate(results.refillPortfolio), results.refillPortfolio.peakMb, `${results.refillPortfolio.keys} keys, rows written into an empty table`],
    ['kairos refill --master', results.refillMaster.rows, results.refillMaster.seconds, rate(results.refillMaster), results.refillMaster.peakMb, `${results.refillMaster.keys} keys (masters + composite), rows written`],
    ['reference, per minute', results.reference.rows, results.reference.seconds, rate(results.reference), results.reference.peakMb, `measured on ${minutes} minutes`],
    ['reference, extrapolated', fullRows, fullRows / rate(results.reference), rate(results.reference), '-', `${fullRows.toLocaleString('en-US')} rows at the measured rate`],
  ];
  console.log(markdown(table));
  const worst = Math.max(results.refillPortfolio.peakMb, results.refillMaster.peakMb);
  const verdict = worst < RSS_LIMIT_MB ? 'ok' : 'OVER';
  console.log(`peak RSS of the refills: ${worst} MB (limit ${RSS_LIMIT_MB} MB): ${verdict}; load average ${loadAtStart} at start, ${loadAtEnd} at end`);

  const file = values.out ?? join(RESULTS, `etl-refill-${date.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const meta = { date: date.toISOString(), url: BENCH_URL, from: START.toISOString(), to: end.toISOString(), portfolios, referenceMinutes: minutes, load: { start: loadAtStart, end: loadAtEnd }, ...environment() };
  writeFileSync(file, `${JSON.stringify({ meta, results, table, peakRssMb: worst, rssLimitMb: RSS_LIMIT_MB }, null, 1)}\n`);
  console.log(`figures written to ${file}`);
  if (worst >= RSS_LIMIT_MB) process.exitCode = 1;
}

await main();
