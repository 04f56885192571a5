/**
 * DATA_account_summary_1_minute: snapshots every active portfolio into
 * DATA.account_summary_1_minute under one current_time per run, and alerts on
 * position thresholds (ETL_TOTAL_USD_VALUE_ALERT), failed snapshots and stale
 * data (ETL_PROCESS_WEBHOOK). A failing portfolio never stops the others; the
 * run fails only when every portfolio failed, or when it is aborted.
 */
import { z } from 'zod';
import type { Portfolio } from '../domain/portfolio.js';
import type { Alerter } from '../notify/alerter.js';
import { iso } from '../shared/iso-time.js';
import { defineJobType, type JobContext, type JobType } from '../scheduler/job-type.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { alertKeys, snapshotFailedMessage, staleMessage, underThresholdMessage } from './data-account-summary/alert-messages.js';
import { forEachConcurrent } from './data-account-summary/for-each-concurrent.js';
import { RunAlerts } from './data-account-summary/run-alerts.js';
import { loadSnapshotHistory, type SnapshotHistory } from './data-account-summary/snapshot-history.js';
import { isStale, isUnderThreshold, snapshotTime, transferSince } from './data-account-summary/snapshot-plan.js';
import { snapshotPortfolio, SnapshotFailure, type ExchangeOptionsFor } from './data-account-summary/snapshot-portfolio.js';

export type { ExchangeOptionsFor, ExchangeOverrides } from './data-account-summary/snapshot-portfolio.js';

export const ACCOUNT_SUMMARY_JOB_NAME = 'DATA_account_summary_1_minute';

/** The rerun look-up of a previous snapshot reaches back at least this far (see snapshot-history.ts). */
const MIN_LOOKBACK_MS = 3_600_000;

export const accountSummaryKwargs = z.object({
  concurrency: z.int().min(1).max(256).default(16).describe('portfolios snapshotted at once'),
  timeout_seconds: z.number().positive().max(300).default(20).describe('per portfolio; a portfolio past it fails with kind timeout'),
  stale_after_minutes: z.number().positive().max(10_080).default(5).describe('a failing portfolio with no snapshot for this long is alerted as stale'),
  alert_cooldown_seconds: z.int().min(0).max(86_400).default(600).describe('per alert key (portfolio and kind)'),
});
type Kwargs = z.output<typeof accountSummaryKwargs>;

export interface DataAccountSummaryDeps {
  readonly warehouse: Warehouse;
  /** ETL_TOTAL_USD_VALUE_ALERT; null: the channel is off and threshold breaches are logged. */
  readonly thresholdAlerter: Alerter | null;
  /** ETL_PROCESS_WEBHOOK, for failed and stale snapshots; null: logged only. */
  readonly processAlerter: Alerter | null;
  /** @default no overrides: production origins, the adapters' call timeout, the default simulator */
  readonly exchangeOptions?: ExchangeOptionsFor;
  /** Measures how late and how long a run is. @default () => new Date() */
  readonly clock?: () => Date;
}

interface Tally {
  ok: number;
  failed: number;
  cancelled: number;
  underThreshold: number;
  stale: number;
}

/** What the portfolio tasks of one run share. */
interface PortfolioRun {
  readonly ctx: JobContext;
  readonly kwargs: Kwargs;
  readonly currentTime: Date;
  readonly history: SnapshotHistory;
  readonly alerts: { readonly threshold: RunAlerts; readonly process: RunAlerts };
  readonly tally: Tally;
  readonly staleAfterMs: number;
}

export function createDataAccountSummaryJob(deps: DataAccountSummaryDeps): JobType {
  const clock = deps.clock ?? (() => new Date());
  const exchangeOptions = deps.exchangeOptions ?? (() => ({}));

  return defineJobType({
    name: ACCOUNT_SUMMARY_JOB_NAME,
    description: 'Snapshots every active portfolio into DATA.account_summary_1_minute and alerts on thresholds, failures and stale data.',
    kwargs: accountSummaryKwargs,
    async run(ctx, kwargs) {
      const started = clock();
      const currentTime = snapshotTime(ctx.scheduledAt);
      const portfolios = await deps.warehouse.activePortfolios();
      const staleAfterMs = kwargs.stale_after_minutes * 60_000;
      const history = await loadSnapshotHistory(
        deps.warehouse,
        portfolios.map((p) => p.portfolio),
        currentTime,
        Math.max(MIN_LOOKBACK_MS, staleAfterMs),
      );
      const alerts = {
        threshold: new RunAlerts(deps.thresholdAlerter, 'ETL_TOTAL_USD_VALUE_ALERT', ctx.logger, kwargs.alert_cooldown_seconds),
        process: new RunAlerts(deps.processAlerter, 'ETL_PROCESS_WEBHOOK', ctx.logger, kwargs.alert_cooldown_seconds),
      };
      const tally: Tally = { ok: 0, failed: 0, cancelled: 0, underThreshold: 0, stale: 0 };
      const run: PortfolioRun = { ctx, kwargs, currentTime, history, alerts, tally, staleAfterMs };

      const startedCount = await forEachConcurrent(portfolios, kwargs.concurrency, ctx.signal, (p) => snapshotOne(run, p));

      const total = portfolios.length;
      if (ctx.signal.aborted) {
        throw new Error(`aborted at ${iso(currentTime)}: ${tally.ok} of ${total} portfolios stored, ${total - startedCount + tally.cancelled} not snapshotted`);
      }
      if (total > 0 && tally.ok === 0) {
        throw new Error(`every snapshot at ${iso(currentTime)} failed (${total} portfolios); see this run's log`);
      }
      const alerted = alerts.threshold.sent + alerts.process.sent;
      const data = {
        current_time: iso(currentTime),
        portfolios: total,
        ok: tally.ok,
        failed: tally.failed,
        alerted,
        under_threshold: tally.underThreshold,
        stale: tally.stale,
        lag_ms: started.getTime() - currentTime.getTime(),
        duration_ms: clock().getTime() - started.getTime(),
      };
      ctx.logger.info(data, 'account summaries stored');
      return {
        message: `${iso(currentTime)}: ${tally.ok} of ${total} portfolios stored, ${tally.failed} failed, ${alerted} alerts sent`,
        data,
      };
    },
  });

  /** Snapshot, store, then alert; never throws, so one portfolio cannot stop the others. */
  async function snapshotOne(run: PortfolioRun, portfolio: Portfolio): Promise<void> {
    const { ctx, currentTime, tally } = run;
    const name = portfolio.portfolio;
    let totalUsdValue: number;
    try {
      const record = await snapshotPortfolio({
        warehouse: deps.warehouse,
        portfolio,
        currentTime,
        since: transferSince(run.history.previous.get(name), currentTime),
        timeoutMs: run.kwargs.timeout_seconds * 1000,
        runSignal: ctx.signal,
        exchangeOptions,
      });
      await deps.warehouse.upsertAccountSummaries([record]).catch((err: unknown) => {
        throw new SnapshotFailure('storage', `storing the summary failed: ${err instanceof Error ? err.message : String(err)}`);
      });
      totalUsdValue = record.totalUsdValue;
    } catch (err) {
      await onFailure(run, portfolio, err instanceof SnapshotFailure ? err : new SnapshotFailure('error', String(err)));
      return;
    }
    tally.ok++;
    ctx.logger.debug({ portfolio: name, total_usd_value: totalUsdValue }, 'snapshot stored');
    if (isUnderThreshold(portfolio, totalUsdValue)) {
      tally.underThreshold++;
      const message = underThresholdMessage(name, totalUsdValue, portfolio.positionThreshold as number, currentTime);
      await run.alerts.threshold.raise(alertKeys.underThreshold(name), message, 'critical');
    }
  }

  async function onFailure(run: PortfolioRun, portfolio: Portfolio, failure: SnapshotFailure): Promise<void> {
    const { ctx, currentTime, tally } = run;
    const name = portfolio.portfolio;
    if (failure.kind === 'cancelled') {
      tally.cancelled++;
      return;
    }
    tally.failed++;
    ctx.logger.warn({ portfolio: name, exchange: portfolio.exchange, kind: failure.kind }, `snapshot of ${name} failed: ${failure.message}`);
    // Logged at warn, not error: error lines are forwarded to ETL_PROCESS_WEBHOOK unthrottled,
    // and this alert is the throttled way to tell that channel.
    await run.alerts.process.raise(
      alertKeys.snapshotFailed(name),
      snapshotFailedMessage(name, portfolio.exchange, `${failure.kind}: ${failure.message}`, currentTime),
      'warning',
    );
    // A portfolio that never had a snapshot is not stale: there is no last good time to
    // measure from, and its failures are alerted above.
    const latest = run.history.latest.get(name);
    if (latest !== undefined && isStale(latest, currentTime, run.staleAfterMs)) {
      tally.stale++;
      await run.alerts.process.raise(alertKeys.stale(name), staleMessage(name, latest, currentTime), 'error');
    }
  }
}
