import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DEMO_COMPOSITE, DEMO_THRESHOLD_PORTFOLIO } from '../../src/demo/demo-portfolios.js';
import { demoSeedApplies, seedDemoPortfolios } from '../../src/demo/seed-demo.js';
import { resolveGroups } from '../../src/performance/groups.js';
import { simulateSummary } from '../../src/exchanges/index.js';
import { createDataAccountSummaryJob } from '../../src/jobs/data-account-summary-1-minute.js';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;
const emptyWarehouse = () => openWarehouse({ sqlitePath: mkdtempSync(join(tmpdir(), 'kairos-demo-')), isTest: false, env: {} });

describe('seedDemoPortfolios', () => {
  it('creates two masters, one composite and a threshold portfolio on the simulated exchange, once', async () => {
    const warehouse = await emptyWarehouse();
    const first = await seedDemoPortfolios(warehouse, { now: NOW });
    expect(first.skipped).toBeNull();
    expect(first.created.map((p) => p.portfolio)).toEqual(['demo-alpha-1', 'demo-alpha-2', 'demo-beta-1', 'demo-beta-2', 'demo-watch']);
    expect((await warehouse.portfolios()).map((p) => p.portfolio).sort()).toEqual(first.created.map((p) => p.portfolio).sort());
    expect(first.created.every((p) => p.exchange === 'simulated' && p.status === 'active')).toBe(true);

    const groups = resolveGroups(await warehouse.portfolios());
    expect([...groups.values()].map((g) => [g.key, g.kind, g.members.length])).toEqual([
      ['demo-alpha', 'master', 2],
      ['demo-beta', 'master', 2],
      [DEMO_COMPOSITE, 'composite', 4],
    ]);
    // Credentials say what they are, wherever they end up.
    const credentials = await warehouse.credentialsFor('demo-alpha-1');
    expect([credentials.apiKey, credentials.apiSecret].every((v) => v.startsWith('demo-only-not-a-real'))).toBe(true);

    expect(await seedDemoPortfolios(warehouse, { now: NOW })).toEqual({ created: [], skipped: 'portfolios_exist' });
    expect(await warehouse.portfolios()).toHaveLength(5);
    await warehouse.close();
  });

  it('never seeds where portfolios exist, unless forced, and then never replaces one', async () => {
    const warehouse = await emptyWarehouse();
    const real = { portfolio: 'demo-alpha-1', exchange: 'okx', status: 'active', positionThreshold: 5, masterPortfolio: null, composite: null };
    await warehouse.upsertPortfolio(real, { apiKey: 'env:OKX_KEY', apiSecret: 'env:OKX_SECRET' });
    expect(await seedDemoPortfolios(warehouse, { now: NOW })).toEqual({ created: [], skipped: 'portfolios_exist' });
    expect(await warehouse.portfolios()).toEqual([real]);

    const forced = await seedDemoPortfolios(warehouse, { now: NOW, force: true });
    expect(forced.created.map((p) => p.portfolio)).toEqual(['demo-alpha-2', 'demo-beta-1', 'demo-beta-2', 'demo-watch']);
    expect((await warehouse.portfolios()).find((p) => p.portfolio === 'demo-alpha-1')).toEqual(real);
    await warehouse.close();
  });

  it('sets a threshold the simulated walk crosses now and then', async () => {
    const warehouse = await emptyWarehouse();
    const { created } = await seedDemoPortfolios(warehouse, { now: NOW });
    const threshold = created.find((p) => p.portfolio === DEMO_THRESHOLD_PORTFOLIO)!.positionThreshold!;
    // Hourly over the month before seeding: under it some of the time, not most of it.
    const hours = Array.from({ length: 30 * 24 }, (_, i) => new Date(NOW.getTime() - i * HOUR));
    const under = hours.filter((t) => simulateSummary(DEMO_THRESHOLD_PORTFOLIO, {}, t, t).totalUsdValue <= threshold).length / hours.length;
    expect(under).toBeGreaterThan(0.05);
    expect(under).toBeLessThan(0.5);
    await warehouse.close();
  });

  it('gives the snapshot job real work straight away', async () => {
    const warehouse = await emptyWarehouse();
    await seedDemoPortfolios(warehouse, { now: NOW });
    const job = createDataAccountSummaryJob({ warehouse, thresholdAlerter: null, processAlerter: null });
    const parsed = job.kwargsSchema.parse({});
    if (!parsed.ok) throw new Error('default kwargs rejected');
    const ctx = {
      jobId: 'account_summary',
      runId: 'r1',
      scheduledAt: NOW,
      idempotencyKey: `account_summary@${NOW.toISOString()}`,
      attempt: 1,
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
    };
    expect((await job.run(ctx, parsed.value))?.data).toMatchObject({ portfolios: 5, ok: 5, failed: 0 });
    expect((await warehouse.latestSummaries()).map((s) => s.currentTime)).toEqual(Array(5).fill(NOW));
    await warehouse.close();
  });
});

describe('demoSeedApplies', () => {
  it('seeds at start-up only into the embedded warehouse, and only when auto', () => {
    expect(demoSeedApplies('auto', 'sqlite')).toBe(true);
    expect(demoSeedApplies('never', 'sqlite')).toBe(false);
    expect(demoSeedApplies('auto', 'postgres')).toBe(false);
    expect(demoSeedApplies('auto', 'mongodb')).toBe(false);
  });
});
