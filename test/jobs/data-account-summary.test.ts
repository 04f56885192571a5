import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummaryRecord } from '../../src/domain/account-summary.js';
import type { ExchangeCredentials, Portfolio } from '../../src/domain/portfolio.js';
import { listSimulatedTransfers, simulateSummary, type SimulatedOptions } from '../../src/exchanges/index.js';
import {
  createDataAccountSummaryJob,
  type DataAccountSummaryDeps,
  type ExchangeOptionsFor,
} from '../../src/jobs/data-account-summary-1-minute.js';
import { Alerter } from '../../src/notify/alerter.js';
import { DiscordWebhook } from '../../src/notify/discord-webhook.js';
import { DiscordWorker } from '../../src/notify/discord-worker.js';
import { MemoryAlertThrottleStore } from '../../src/notify/memory-alert-throttle-store.js';
import { createLogging, type Logging } from '../../src/observability/logging/create-logging.js';
import type { JobContext, JobResult, JobType } from '../../src/scheduler/job-type.js';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { DiscordTestServer } from '../support/discord-server.js';
import { startOkxServer, type OkxServer } from '../support/exchange-servers/okx.js';
import { createTestDatabase } from '../support/pg.js';
import { ManualClock } from '../notify/support/manual-clock.js';
import { CREDENTIALS, secretsOf } from '../exchanges/servers.js';

const MINUTE = 60_000;
const T0 = new Date('2025-03-01T00:01:00.750Z');
const T0_SECOND = new Date('2025-03-01T00:01:00Z');
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

let discord: DiscordTestServer;
beforeAll(async () => {
  discord = await DiscordTestServer.start();
});
afterAll(() => discord.close());

/** One Discord channel as Kairos builds it: webhook, worker, alerter; its posts split into lines. */
function channel(clock: ManualClock) {
  const webhook = discord.createWebhook();
  const worker = new DiscordWorker({ channel: 'test', poster: new DiscordWebhook({ url: webhook.url, clock }) });
  const alerter = new Alerter({ channel: worker, store: new MemoryAlertThrottleStore(), now: () => clock.now() });
  const lines = async () => {
    await worker.flush();
    return discord.posts.filter((p) => p.webhookId === webhook.id).flatMap((p) => p.content.split('\n'));
  };
  return { alerter, lines, webhook };
}

function member(portfolio: string, extra: Partial<Portfolio> = {}): Portfolio {
  return { portfolio, exchange: 'simulated', status: 'active', positionThreshold: null, masterPortfolio: null, composite: null, ...extra };
}

const DUMMY = { apiKey: 'sim-key', apiSecret: 'sim-secret' };

interface Harness {
  readonly warehouse: Warehouse;
  readonly job: JobType;
  readonly logging: Logging;
  readonly alertClock: ManualClock;
  readonly threshold: ReturnType<typeof channel>;
  readonly process: ReturnType<typeof channel>;
  /** Runs the job for `scheduledAt` with the alert clock at that time (plus `lateMs`). */
  run(scheduledAt: Date, kwargs?: Record<string, unknown>, options?: { signal?: AbortSignal; lateMs?: number }): Promise<JobResult>;
  /** Ends logging (after the last run) and returns the lines of the job's own log, and of every log file. */
  logLines(): Promise<{ job: string[]; all: string[] }>;
  rowsAt(at: Date): Promise<AccountSummaryRecord[]>;
}

type WarehouseFactory = () => Promise<Warehouse>;
const sqliteWarehouse: WarehouseFactory = () =>
  openWarehouse({ sqlitePath: mkdtempSync(join(tmpdir(), 'kairos-acct-')), isTest: false, env: {} });

async function harness(
  portfolios: readonly [Portfolio, ExchangeCredentials][],
  options: { exchangeOptions?: ExchangeOptionsFor; alerts?: boolean; openWarehouse?: WarehouseFactory } = {},
): Promise<Harness> {
  const warehouse = await (options.openWarehouse ?? sqliteWarehouse)();
  for (const [p, credentials] of portfolios) await warehouse.upsertPortfolio(p, credentials);
  const logDir = mkdtempSync(join(tmpdir(), 'kairos-acct-logs-'));
  const logging = createLogging({ dir: logDir, console: 'off', level: 'debug' });
  const alertClock = new ManualClock();
  const threshold = channel(alertClock);
  const process = channel(alertClock);
  const deps: DataAccountSummaryDeps = {
    warehouse,
    thresholdAlerter: options.alerts === false ? null : threshold.alerter,
    processAlerter: options.alerts === false ? null : process.alerter,
    ...(options.exchangeOptions ? { exchangeOptions: options.exchangeOptions } : {}),
  };
  const job = createDataAccountSummaryJob(deps);
  let runs = 0;
  return {
    warehouse,
    job,
    logging,
    alertClock,
    threshold,
    process,
    async run(scheduledAt, kwargs = {}, { signal = new AbortController().signal, lateMs = 0 } = {}) {
      const parsed = job.kwargsSchema.parse(kwargs);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      alertClock.advance(scheduledAt.getTime() + lateMs - alertClock.now());
      const runId = `run-${++runs}`;
      const ctx: JobContext = {
        jobId: 'account_summary',
        runId,
        scheduledAt,
        idempotencyKey: `account_summary@${scheduledAt.toISOString()}`,
        attempt: 1,
        logger: logging.forRun({ jobId: 'account_summary', runId }).logger,
        signal,
      };
      return (await job.run(ctx, parsed.value)) ?? {};
    },
    async logLines() {
      // close, not flush: a flush right after a file was opened can resolve before its lines are written.
      await logging.close();
      const files = readdirSync(logDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      const lines = (dir: string) =>
        files.filter((f) => f.parentPath.startsWith(dir)).flatMap((f) => readFileSync(join(f.parentPath, f.name), 'utf8').split('\n')).filter((l) => l !== '');
      return { job: lines(join(logDir, 'jobs')), all: lines(logDir) };
    },
    async rowsAt(at) {
      const rows: AccountSummaryRecord[] = [];
      for await (const row of warehouse.streamSummaries({ from: at, to: at })) rows.push(row);
      return rows;
    },
  };
}

/** Portfolios named `bad-*` always fail, `slow-*` answer after two seconds; the rest within 20 ms. */
const byName: ExchangeOptionsFor = (_exchange, portfolio) => {
  if (portfolio.startsWith('bad-')) return { simulated: { failureRate: 1 } };
  if (portfolio.startsWith('slow-')) return { simulated: { latencyMs: { min: 2_000, max: 2_000 } } };
  return { simulated: { latencyMs: { min: 0, max: 20 } } };
};

function fleet(): [Portfolio, ExchangeCredentials][] {
  const names = [
    ...Array.from({ length: 178 }, (_, i) => `ok-${String(i).padStart(3, '0')}`),
    ...Array.from({ length: 10 }, (_, i) => `bad-${i}`),
    ...Array.from({ length: 10 }, (_, i) => `slow-${i}`),
  ];
  return [
    ...names.map((n) => [member(n), DUMMY] as [Portfolio, ExchangeCredentials]),
    // Always under its threshold, and never under its own.
    [member('ok-watch', { positionThreshold: 1e12 }), DUMMY],
    [member('ok-safe', { positionThreshold: 1 }), DUMMY],
    // Inactive portfolios are not snapshotted.
    [member('retired', { status: 'inactive' }), DUMMY],
  ];
}

const warehouses: [string, WarehouseFactory][] = [
  ['SQLite', sqliteWarehouse],
  ['PostgreSQL', async () => openWarehouse({ postgresUrl: await createTestDatabase('acct_summary'), isTest: false, env: {} })],
];

describe.each(warehouses)('DATA_account_summary_1_minute on %s', (_, openWarehouse) => {
  it('stores 200 portfolios once per fire, isolating failing and slow ones, and counts them', async () => {
    const h = await harness(fleet(), { exchangeOptions: byName, openWarehouse });
    const kwargs = { concurrency: 32, timeout_seconds: 0.5 };

    const first = await h.run(T0, kwargs);
    expect(first.data).toMatchObject({ current_time: '2025-03-01T00:01:00Z', portfolios: 200, ok: 180, failed: 20, under_threshold: 1, alerted: 21 });
    const rows = await h.rowsAt(T0_SECOND);
    expect(rows.map((r) => r.portfolio).sort()).toEqual(
      fleet().map(([p]) => p.portfolio).filter((n) => /^ok-/.test(n)).sort(),
    );

    // A retry of the same fire, started late: the same keys, overwritten, no new rows, no repeated alerts.
    const retry = await h.run(T0, kwargs, { lateMs: 40_000 });
    expect(retry.data).toMatchObject({ ok: 180, failed: 20, alerted: 0 });
    const again = await h.rowsAt(T0_SECOND);
    expect(again).toHaveLength(180);
    expect(again).toEqual(rows);
    let total = 0;
    for await (const _row of h.warehouse.streamSummaries({ from: plus(T0, -MINUTE), to: plus(T0, MINUTE) })) total++;
    expect(total).toBe(180);

    const failures = (await h.logLines()).job.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['level'] === 40);
    const failedNames = new Set(failures.filter((l) => String(l['msg']).startsWith('snapshot of')).map((l) => l['portfolio']));
    expect([...failedNames].sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `bad-${i}`), ...Array.from({ length: 10 }, (_, i) => `slow-${i}`)]);
    expect(failures.filter((l) => String(l['portfolio']).startsWith('slow-')).every((l) => l['kind'] === 'timeout')).toBe(true);

    const alerts = await h.process.lines();
    expect(alerts).toHaveLength(20);
    expect(alerts).toContain('⚠️ **WARNING** Portfolio slow-3 (simulated): snapshot for 2025-03-01 00:01:00 UTC failed: timeout: no answer within 0.5 s');
    expect(alerts.filter((l) => /Portfolio bad-\d \(simulated\): .* failed: (network|rate_limit|timeout): simulated: /.test(l))).toHaveLength(10);
    await h.warehouse.close();
  });
});

describe('DATA_account_summary_1_minute alerts', () => {
  it('alerts a breached threshold on its channel once per cooldown, with the value and time spelled out', async () => {
    const h = await harness([[member('watch', { positionThreshold: 1e12 }), DUMMY]]);
    const value = (at: Date) => simulateSummary('watch', {}, plus(at, -MINUTE), at).totalUsdValue;
    const text = (at: Date) => {
      const usd = value(at).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const time = at.toISOString().slice(0, 19).replace('T', ' ');
      return `🚨 **CRITICAL** Portfolio watch: total USD value ${usd} is at or below its threshold 1,000,000,000,000.00 at ${time} UTC`;
    };
    const cooldown = { alert_cooldown_seconds: 600 };
    expect((await h.run(T0_SECOND, cooldown)).data).toMatchObject({ under_threshold: 1, alerted: 1 });
    expect((await h.run(plus(T0_SECOND, MINUTE), cooldown)).data).toMatchObject({ under_threshold: 1, alerted: 0 });
    expect((await h.run(plus(T0_SECOND, 9 * MINUTE), cooldown)).data).toMatchObject({ alerted: 0 });
    expect((await h.run(plus(T0_SECOND, 10 * MINUTE), cooldown)).data).toMatchObject({ alerted: 1 });
    expect(await h.threshold.lines()).toEqual([text(T0_SECOND), text(plus(T0_SECOND, 10 * MINUTE))]);
    expect(await h.process.lines()).toEqual([]);
    // The value is spelled with thousands separators: this portfolio is worth six figures.
    expect(text(T0_SECOND)).toMatch(/value \d{2,3},\d{3}\.\d{2} is/);
  });

  it('alerts a portfolio that has gone stale_after_minutes without a snapshot, and none that never had one', async () => {
    const broken = new Set<string>();
    const h = await harness(
      [
        [member('flaky'), DUMMY],
        [member('steady'), DUMMY],
        [member('never'), DUMMY],
      ],
      { exchangeOptions: (_, p) => ({ simulated: { failureRate: broken.has(p) || p === 'never' ? 1 : 0 } }) },
    );
    const kwargs = { stale_after_minutes: 5, alert_cooldown_seconds: 0 };
    await h.run(T0_SECOND, kwargs);
    broken.add('flaky');
    expect((await h.run(plus(T0_SECOND, 4 * MINUTE), kwargs)).data).toMatchObject({ ok: 1, failed: 2, stale: 0 });
    expect((await h.run(plus(T0_SECOND, 5 * MINUTE), kwargs)).data).toMatchObject({ ok: 1, failed: 2, stale: 1 });
    const stale = (await h.process.lines()).filter((l) => l.includes('no snapshot'));
    expect(stale).toEqual(['❌ **ERROR** Portfolio flaky: no snapshot for 5 min (last at 2025-03-01 00:01:00 UTC)']);
  });

  it('logs alerts when the channels are off', async () => {
    const h = await harness(
      [
        [member('watch', { positionThreshold: 1e12 }), DUMMY],
        [member('bad'), DUMMY],
      ],
      { alerts: false, exchangeOptions: (_, p) => ({ simulated: { failureRate: p === 'bad' ? 1 : 0 } }) },
    );
    expect((await h.run(T0_SECOND)).data).toMatchObject({ ok: 1, failed: 1, under_threshold: 1, alerted: 0 });
    const lines = (await h.logLines()).job.map((l) => JSON.parse(l) as Record<string, unknown>);
    const disabled = lines.filter((l) => String(l['msg']).includes('alert channel disabled'));
    expect(disabled.map((l) => l['alert']).sort()).toEqual(['snapshot_failed:bad', 'usd_under:watch']);
    expect(disabled.find((l) => l['alert'] === 'usd_under:watch')?.['msg']).toMatch(
      /^ETL_TOTAL_USD_VALUE_ALERT alert channel disabled: Portfolio watch: total USD value [\d,]+\.\d\d is at or below/,
    );
  });
});

describe('DATA_account_summary_1_minute transfer window', () => {
  // Deposits and withdrawals every day, so one falls between two chosen snapshots.
  const simulated: SimulatedOptions = { transferProbability: 1 };
  const transfer = listSimulatedTransfers('mover', simulated, new Date('2025-03-01T00:00:00Z'), new Date('2025-03-02T00:00:00Z'))[0]!;
  const before = new Date(Math.floor(transfer.time.getTime() / MINUTE) * MINUTE - 2 * MINUTE);
  const after = plus(before, 5 * MINUTE);

  it('reports transfers since the previous snapshot, the same again when the fire is rerun', async () => {
    const h = await harness([[member('mover'), DUMMY]], { exchangeOptions: () => ({ simulated }) });
    await h.run(before);
    await h.run(after);
    const [row] = await h.rowsAt(after);
    // Money moved in counts negative, out positive.
    expect(row?.transferAdjustment).toBeCloseTo(-transfer.amount, 6);
    expect(row?.transferAdjustment).toBe(simulateSummary('mover', simulated, before, after).transferAdjustment);
    // The first snapshot had no predecessor: a one-minute window, which held no transfer.
    expect((await h.rowsAt(before))[0]?.transferAdjustment).toBe(0);

    await h.run(after);
    expect(await h.rowsAt(after)).toEqual([row]);
  });
});

describe('DATA_account_summary_1_minute with a real exchange protocol', () => {
  let okx: OkxServer;
  beforeAll(async () => {
    okx = await startOkxServer(CREDENTIALS);
  });
  afterAll(() => okx.close());

  it('snapshots an OKX account over HTTP beside simulated ones, and never lets a secret out', async () => {
    const wrong = { ...CREDENTIALS, apiSecret: 'kairos-wrong-secret-6d0c2f' };
    const h = await harness(
      [
        [member('okx-main', { exchange: 'okx' }), CREDENTIALS],
        [member('okx-wrong', { exchange: 'okx' }), wrong],
        [member('sim'), DUMMY],
      ],
      { exchangeOptions: (exchange) => (exchange === 'okx' ? { baseUrl: okx.baseUrl, timeoutMs: 2_000 } : {}) },
    );
    // OKX rejects requests signed more than 30 s from its clock, so this fire is now.
    const now = new Date();
    const result = await h.run(now);
    expect(result.data).toMatchObject({ portfolios: 3, ok: 2, failed: 1 });
    const rows = await h.rowsAt(new Date(Math.floor(now.getTime() / 1000) * 1000));
    expect(rows.find((r) => r.portfolio === 'okx-main')).toMatchObject({ exchange: 'okx', totalUsdValue: 43749472.35962724 });

    const logs = (await h.logLines()).all;
    const posts = [...(await h.process.lines()), ...(await h.threshold.lines())];
    expect(posts.join('\n')).toMatch(/Portfolio okx-wrong \(okx\): .* failed: auth: /);
    const secrets = [...secretsOf(CREDENTIALS, wrong), h.process.webhook.token, h.threshold.webhook.token];
    for (const text of [...logs, ...posts, JSON.stringify(result)]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(logs.some((l) => l.includes('okx-wrong'))).toBe(true);
  });
});

describe('DATA_account_summary_1_minute run outcome', () => {
  it('stops starting portfolios when the run is aborted, without alerting the ones cut off', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `slow-${i}`);
    const h = await harness(
      names.map((n) => [member(n), DUMMY]),
      { exchangeOptions: () => ({ simulated: { latencyMs: { min: 5_000, max: 5_000 } } }) },
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run timeout')), 50);
    await expect(h.run(T0_SECOND, { concurrency: 4 }, { signal: controller.signal })).rejects.toThrow(
      'aborted at 2025-03-01T00:01:00Z: 0 of 12 portfolios stored, 12 not snapshotted',
    );
    expect(await h.process.lines()).toEqual([]);
  });

  it('fails the run when every portfolio failed, after alerting each', async () => {
    const h = await harness(
      [
        [member('a'), DUMMY],
        [member('b', { exchange: 'kraken' }), DUMMY],
      ],
      { exchangeOptions: () => ({ simulated: { failureRate: 1, failureKinds: ['auth'] } }) },
    );
    await expect(h.run(T0_SECOND)).rejects.toThrow('every snapshot at 2025-03-01T00:01:00Z failed (2 portfolios)');
    expect((await h.process.lines()).sort()).toEqual([
      '⚠️ **WARNING** Portfolio a (simulated): snapshot for 2025-03-01 00:01:00 UTC failed: auth: simulated: auth: injected auth failure',
      '⚠️ **WARNING** Portfolio b (kraken): snapshot for 2025-03-01 00:01:00 UTC failed: unknown_exchange: unknown exchange "kraken"; expected one of binance, bybit, okx, bingx, bitmex, bitmart, zoomex, simulated',
    ]);
  });

  it('succeeds with nothing to do when no portfolio is active', async () => {
    const h = await harness([]);
    expect((await h.run(T0_SECOND)).data).toMatchObject({ portfolios: 0, ok: 0, failed: 0, alerted: 0 });
  });
});
