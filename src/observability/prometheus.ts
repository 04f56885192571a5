/**
 * The Prometheus registry served at `/metrics`: Node's default process metrics plus the Kairos
 * metrics, declared here and observed by the engine, the notifier and the API.
 *
 * Label values must stay few and never carry secrets:
 * - `job`: a job id from configuration, through `jobLabel()` so one-off manual copies
 *   (`<id>__manual__<ms>`) count under their job instead of creating a series per trigger;
 * - `status`: a run outcome name of the engine (success, error, timeout...);
 * - `channel`: the notifier's channel name (e.g. `process`, `alert`), never its webhook URL.
 * Each registry is independent (no global `register`), so tests and several apps in one
 * process do not collide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface KairosMetrics {
  /** Finished runs by outcome. */
  runsTotal: Counter<'job' | 'status'>;
  /** Wall-clock duration of a run, from start to outcome. */
  runDurationSeconds: Histogram<'job'>;
  /** Start of a run minus its scheduled time. */
  fireLatenessSeconds: Histogram<'job'>;
  /** Fires skipped because they were later than the misfire grace time. */
  missedTotal: Counter<'job'>;
  /** Runs whose instance stopped heartbeating before recording an outcome. */
  abandonedTotal: Counter<'job'>;
  /** Messages waiting in a notification channel's queue. */
  notifyQueueDepth: Gauge<'channel'>;
  /** Messages dropped because a notification channel's queue was full. */
  notifyDroppedTotal: Counter<'channel'>;
  /** Connected WebSocket clients of this instance. */
  websocketClients: Gauge;
}

export interface PrometheusRegistry {
  registry: Registry;
  metrics: KairosMetrics;
  /** Node's default process metrics, registered at the first scrape (see createPrometheusRegistry). */
  collectDefaults(): void;
}

/** Jobs run from every 10 s to nightly: buckets from 50 ms to an hour. */
const RUN_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/** A healthy fire is milliseconds late; seconds mean a busy loop, minutes a stalled instance. */
const LATENESS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export function createPrometheusRegistry(): PrometheusRegistry {
  const registry = new Registry();
  const registers = [registry];
  const metrics: KairosMetrics = {
    runsTotal: new Counter({ name: 'kairos_runs_total', help: 'Finished runs by job and outcome.', labelNames: ['job', 'status'], registers }),
    runDurationSeconds: new Histogram({
      name: 'kairos_run_duration_seconds',
      help: 'Duration of runs, from start to outcome.',
      labelNames: ['job'],
      buckets: RUN_DURATION_BUCKETS,
      registers,
    }),
    fireLatenessSeconds: new Histogram({
      name: 'kairos_fire_lateness_seconds',
      help: 'Delay between the scheduled time of a fire and the start of its run.',
      labelNames: ['job'],
      buckets: LATENESS_BUCKETS,
      registers,
    }),
    missedTotal: new Counter({ name: 'kairos_missed_total', help: 'Fires missed beyond the misfire grace time.', labelNames: ['job'], registers }),
    abandonedTotal: new Counter({ name: 'kairos_abandoned_total', help: 'Runs abandoned by a dead instance.', labelNames: ['job'], registers }),
    notifyQueueDepth: new Gauge({ name: 'kairos_notify_queue_depth', help: 'Messages queued per notification channel.', labelNames: ['channel'], registers }),
    notifyDroppedTotal: new Counter({
      name: 'kairos_notify_dropped_total',
      help: 'Messages dropped because a notification queue was full.',
      labelNames: ['channel'],
      registers,
    }),
    websocketClients: new Gauge({ name: 'kairos_websocket_clients', help: 'Connected WebSocket clients.', registers }),
  };
  let defaults = false;
  return {
    registry,
    metrics,
    // Node's defaults include an event-loop monitor waking 100 times a second; an instance
    // nobody scrapes should not pay for it. Its figures are read at scrape time or are rates.
    collectDefaults() {
      if (defaults) return;
      defaults = true;
      collectDefaultMetrics({ register: registry });
    },
  };
}

const MANUAL_COPY_SUFFIX = /__manual__\d+$/;

/** The `job` label of a job id: manual one-off copies `<id>__manual__<ms>` are labelled `<id>`. */
export function jobLabel(jobId: string): string {
  return jobId.replace(MANUAL_COPY_SUFFIX, '');
}
