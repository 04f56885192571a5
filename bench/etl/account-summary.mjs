#!/usr/bin/env node
/* global AbortController */
/**
 * How long one DATA_account_summary_1_minute run takes for many simulated
 * portfolios with exchange-like latency, at several concurrency limits.
 * Imports the built job from dist/: run `npm run build` first.
 *
 *   node bench/etl/account-summary.mjs [--portfolios 1000] [--concurrency 1,16,64] [--latency 50-300]
 *
 * The simulated latency is drawn per call from the range, so a run at
 * concurrency c should take about portfolios x mean latency / c: the table
 * shows that estimate beside the measured time, which is the limit at work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDataAccountSummaryJob } from '../../dist/jobs/data-account-summary-1-minute.js';
import { openWarehouse } from '../../dist/warehouse/open-warehouse.js';

const { values } = parseArgs({
  options: {
    portfolios: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1,16,64' },
    latency: { type: 'string', default: '50-300' },
  },
});
const count = Number(values.portfolios);
const limits = values.concurrency.split(',').map(Number);
const [min, max] = values.latency.split('-').map(Number);
if (!(count > 0) || limits.some((c) => !(c >= 1)) || !(min >= 0 && max >= min)) {
  console.error('usage: account-summary.mjs [--portfolios N] [--concurrency 1,16,64] [--latency MIN-MAX]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'kairos-bench-acct-'));
const warehouse = await openWarehouse({ sqlitePath: dir, isTest: false, env: {} });
try {
  for (let i = 0; i < count; i++) {
    const portfolio = `bench-${String(i).padStart(4, '0')}`;
    await warehouse.upsertPortfolio(
      { portfolio, exchange: 'simulated', status: 'active', positionThreshold: null, masterPortfolio: null, composite: null },
      { apiKey: 'bench-not-a-secret', apiSecret: 'bench-not-a-secret' },
    );
  }
  const job = createDataAccountSummaryJob({
    warehouse,
    thresholdAlerter: null,
    processAlerter: null,
    exchangeOptions: () => ({ simulated: { latencyMs: { min, max } } }),
  });

  const rows = [];
  // Each run snapshots its own minute, so every run writes fresh rows.
  let minute = Date.UTC(2025, 0, 1);
  for (const concurrency of limits) {
    const parsed = job.kwargsSchema.parse({ concurrency, timeout_seconds: 60 });
    if (!parsed.ok) throw new Error(`kwargs rejected: ${JSON.stringify(parsed.issues)}`);
    const scheduledAt = new Date((minute += 60_000));
    process.stderr.write(`concurrency ${concurrency}: ${count} portfolios, about ${((count * (min + max)) / 2 / concurrency / 1000).toFixed(1)} s...\n`);
    const started = performance.now();
    const result = await job.run(
      {
        jobId: 'bench',
        runId: `bench-${concurrency}`,
        scheduledAt,
        idempotencyKey: `bench@${scheduledAt.toISOString()}`,
        attempt: 1,
        logger: pino({ level: 'silent' }),
        signal: new AbortController().signal,
      },
      parsed.value,
    );
    const seconds = (performance.now() - started) / 1000;
    rows.push({
      concurrency,
      portfolios: count,
      ok: result.data.ok,
      failed: result.data.failed,
      'estimate s': ((count * (min + max)) / 2 / concurrency / 1000).toFixed(2),
      'measured s': seconds.toFixed(2),
      'portfolios/s': (count / seconds).toFixed(1),
    });
  }
  console.log(`DATA_account_summary_1_minute, simulated latency ${min}-${max} ms per call, SQLite warehouse`);
  console.table(rows);
} finally {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
}
