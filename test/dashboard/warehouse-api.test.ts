import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerformanceRow } from '../../src/domain/performance-row.js';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import { startKairos, type RunningKairos } from '../support/cli-process.js';
import { tempDir } from '../support/scheduler.js';

const SECRETS = { apiKey: 'AKIA-dashboard-test-key-7f3e9a', apiSecret: 'sekrit-dashboard-test-secret-41bd', password: 'okx-passphrase-dashboard-99' };
const MINUTE = 60_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const ROWS = 30 * 24 * 60;
/** The trough planted in the middle of the month: downsampling must keep it. */
const TROUGH_AT = 12_345;

function row(key: string, i: number): PerformanceRow {
  const nav = i === TROUGH_AT ? 41.5 : 100 + 10 * Math.sin(i / 500);
  return { key, currentTime: new Date(START + i * MINUTE), totalUsdValue: nav * 1000, historyHigh: 110, nav, currentReturn: 0, crr: nav / 100 - 1, cd: Math.min(0, nav / 110 - 1), mdd: -0.6227 };
}

let kairos: RunningKairos;
beforeAll(async () => {
  const dir = tempDir('dashboard-warehouse');
  const warehouse = await openWarehouse({ sqlitePath: join(dir, 'warehouse'), isTest: false });
  await warehouse.upsertPortfolio({ portfolio: 'acct-1', exchange: 'okx', status: 'active', positionThreshold: 50_000, masterPortfolio: 'fund-a', composite: 'fund' }, SECRETS);
  await warehouse.upsertPortfolio({ portfolio: 'acct-2', exchange: 'binance', status: 'inactive', positionThreshold: null, masterPortfolio: null, composite: null }, SECRETS);
  const balances = { BTC: { total: 1.5, available: 1.2, notional: 150_000, liability: 0, interest: 0 } };
  await warehouse.upsertAccountSummaries([{ portfolio: 'acct-1', exchange: 'okx', currentTime: new Date(START), totalUsdValue: 150_000, balances, transferAdjustment: 0 }]);
  for (let i = 0; i < ROWS; i += 5000) {
    await warehouse.upsertPerformanceRows('portfolio', Array.from({ length: Math.min(5000, ROWS - i) }, (_, j) => row('acct-1', i + j)));
  }
  await warehouse.upsertPerformanceRows('master', Array.from({ length: 40 }, (_, i) => row('fund', i)));
  await warehouse.close();
  writeFileSync(join(dir, 'jobs.yaml'), 'jobs:\n  - id: parked\n    func: OP_refill_portfolio_performance:run\n    trigger: date\n    run_date: "2099-01-01T00:00:00Z"\n');
  kairos = await startKairos({ KAIROS_JOBS_FILE: join(dir, 'jobs.yaml'), KAIROS_WAREHOUSE_URL: `sqlite:${join(dir, 'warehouse')}`, KAIROS_DEMO_SEED: 'never' }, dir);
}, 120_000);
afterAll(async () => {
  kairos?.child.kill('SIGTERM');
  await kairos?.exited;
});

async function get(path: string): Promise<{ status: number; text: string; body: any }> {
  const response = await fetch(kairos.url + path);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

function expectNoSecret(text: string): void {
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/api_key|api_secret|password|memo/);
}

describe('GET /warehouse/portfolios', () => {
  it('lists every portfolio with its latest summary and threshold, never a credential', async () => {
    const { status, text, body } = await get('/warehouse/portfolios');
    expect(status).toBe(200);
    expectNoSecret(text);
    expect(body.portfolios).toEqual([
      {
        portfolio: 'acct-1',
        exchange: 'okx',
        status: 'active',
        position_threshold: 50_000,
        master_portfolio: 'fund-a',
        composite: 'fund',
        latest: { total_usd_value: 150_000, current_time: '2026-01-01T00:00:00Z', balances: { BTC: { total: 1.5, available: 1.2, notional: 150_000, liability: 0, interest: 0 } } },
      },
      { portfolio: 'acct-2', exchange: 'binance', status: 'inactive', position_threshold: null, master_portfolio: null, composite: null, latest: null },
    ]);
  });
});

describe('GET /warehouse/performance', () => {
  it('downsamples a month of minute rows to the requested bound, keeping the ends and the trough', async () => {
    const started = Date.now();
    const { status, text, body } = await get('/warehouse/performance?kind=portfolio&key=acct-1&to=2026-02-01T00:00:00Z&points=500');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(status).toBe(200);
    expectNoSecret(text);
    expect(body).toMatchObject({ key: 'acct-1', kind: 'portfolio', rows: ROWS });
    expect(body.points.length).toBeLessThanOrEqual(500);
    expect(body.points.length).toBeGreaterThan(250);
    expect(Object.keys(body.points[0]).sort()).toEqual(['cd', 'crr', 'mdd', 'nav', 't', 'total_usd_value']);
    expect(body.points[0].t).toBe('2026-01-01T00:00:00Z');
    expect(body.points.at(-1).t).toBe(new Date(START + (ROWS - 1) * MINUTE).toISOString().replace('.000Z', 'Z'));
    expect(Math.min(...body.points.map((p: { nav: number }) => p.nav))).toBe(41.5);
    const times = body.points.map((p: { t: string }) => Date.parse(p.t));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('answers a short range whole, and reads master portfolios and composites', async () => {
    const { body } = await get('/warehouse/performance?kind=portfolio&key=acct-1&from=2026-01-01T01:00:00Z&to=2026-01-01T01:59:00Z');
    expect(body.rows).toBe(60);
    expect(body.points).toHaveLength(60);
    const master = await get('/warehouse/performance?kind=master&key=fund');
    expect(master.body.points).toHaveLength(40);
    expect((await get('/warehouse/performance?kind=master&key=nobody')).body).toMatchObject({ rows: 0, points: [] });
  });

  it('rejects bad queries naming the field', async () => {
    expect((await get('/warehouse/performance?kind=portfolio&key=acct-1&points=1')).status).toBe(400);
    expect((await get('/warehouse/performance?kind=fund&key=acct-1')).status).toBe(400);
    const reversed = await get('/warehouse/performance?kind=portfolio&key=acct-1&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(reversed.status).toBe(400);
    expect(reversed.body.details).toEqual([{ field: 'querystring.from', message: 'must not be after `to`' }]);
  });
});
