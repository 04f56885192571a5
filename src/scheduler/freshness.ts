import type { BaseLogger } from 'pino';
import type { SchedulerEvents } from './events.js';
import { EMPTY_STATS, type JobRecord, type JobStats } from './types.js';

/**
 * A dead man's switch per job (`alert_if_no_success_within`): when a job has
 * had no successful run for that long (hung, failing, paused by mistake, its
 * instance gone) one alert goes out, repeated per cooldown until it recovers,
 * then one recovery message. Every instance evaluates it; the alert sink's
 * shared throttle makes the cluster send each alert once.
 */

export interface FreshnessVerdict {
  readonly jobId: string;
  readonly stale: boolean;
  /** Time since the last success (or since the job was created), ms. */
  readonly silentForMs: number;
  readonly limitMs: number;
}

/** Pure: which watched jobs are overdue at `now`. */
export function freshnessVerdicts(views: readonly { readonly job: JobRecord; readonly stats: JobStats }[], now: number): FreshnessVerdict[] {
  const verdicts: FreshnessVerdict[] = [];
  for (const { job, stats } of views) {
    const limit = job.options.alertIfNoSuccessWithin;
    if (limit === null) continue;
    const since = (stats.lastSuccessAt ?? job.createdAt).getTime();
    verdicts.push({ jobId: job.id, stale: now - since > limit * 1000, silentForMs: now - since, limitMs: limit * 1000 });
  }
  return verdicts;
}

/** Where freshness alerts go (the process channel's alerter, which throttles per key). */
export interface AlertSink {
  trigger(key: string, message: string, options: { severity: 'error' | 'info'; cooldownSec: number; dedupe: boolean }): Promise<unknown>;
}

export class FreshnessMonitor {
  private readonly stale = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Jobs with a freshness limit; null when it must be read again. */
  private watched: JobRecord[] | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: {
      /** Jobs with a freshness limit, without stats (cheap); read again only after `events` report a change. */
      listWatchedJobs: () => Promise<JobRecord[]>;
      jobStats: (ids: readonly string[]) => Promise<Map<string, JobStats>>;
      events: SchedulerEvents;
      sink: AlertSink | null;
      logger: BaseLogger;
      now?: () => number;
      /** How often to evaluate. @default a quarter of the tightest limit, 1 s to 15 s */
      intervalMs?: number;
      /** Repeat an unrecovered alert this often. @default 600 */
      cooldownSec?: number;
    },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.deps.events.on('jobs:changed', () => (this.watched = null));
    this.schedule(this.deps.intervalMs ?? 1_000);
  }

  stop(): void {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Checks at a quarter of the tightest limit, between 1 s and 15 s, so short limits are noticed in time. */
  private schedule(ms: number): void {
    this.timer = setTimeout(async () => {
      const verdicts = await this.check();
      if (!this.running) return;
      const tightest = Math.min(...verdicts.map((v) => v.limitMs), 60_000);
      this.schedule(this.deps.intervalMs ?? Math.min(Math.max(tightest / 4, 1_000), 15_000));
    }, ms);
    this.timer.unref();
  }

  /** One evaluation; returns the verdicts (for tests and the caller's logs). */
  async check(): Promise<FreshnessVerdict[]> {
    try {
      this.watched ??= await this.deps.listWatchedJobs();
      const watched = this.watched;
      const stats = watched.length ? await this.deps.jobStats(watched.map((j) => j.id)) : new Map<string, JobStats>();
      const views = watched.map((job) => ({ job, stats: stats.get(job.id) ?? EMPTY_STATS }));
      const verdicts = freshnessVerdicts(views, (this.deps.now ?? Date.now)());
      for (const v of verdicts) {
        if (v.stale) {
          this.stale.add(v.jobId);
          await this.send(`stale_job:${v.jobId}`, `Job ${v.jobId} has had no successful run for ${minutes(v.silentForMs)} (limit ${minutes(v.limitMs)})`, 'error');
        } else if (this.stale.delete(v.jobId)) {
          await this.send(`stale_job_recovered:${v.jobId}`, `Job ${v.jobId} recovered: it succeeded again`, 'info');
        }
      }
      return verdicts;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'freshness check failed');
      return [];
    }
  }

  private async send(key: string, message: string, severity: 'error' | 'info'): Promise<void> {
    if (!this.deps.sink) {
      this.deps.logger[severity === 'error' ? 'error' : 'info']({ alert: key }, message);
      return;
    }
    await this.deps.sink.trigger(key, message, { severity, cooldownSec: this.deps.cooldownSec ?? 600, dedupe: false });
  }
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  return m < 120 ? `${m.toFixed(1)} min` : `${(m / 60).toFixed(1)} h`;
}
