import type { KairosMetrics } from '../observability/prometheus.js';
import { jobLabel } from '../observability/prometheus.js';
import type { JobEvent, JobEventName } from '../scheduler/events.js';
import type { SchedulerEvents } from '../scheduler/events.js';
import type { NotifyChannelStatus } from './notify-status.js';

/** Events that end a run (or a fire); `queued` and `submitted` do not. */
const OUTCOMES: ReadonlySet<JobEventName> = new Set(['success', 'error', 'timeout', 'missed', 'abandoned', 'skipped', 'cancelled', 'coalesced']);

/** The `job` label of jobs beyond the first `maxJobLabels` seen. */
export const OTHER_JOBS_LABEL = '_other';

/**
 * Feeds the Prometheus metrics from the engine's event bus. Returns the
 * unsubscribe function. Labels are job ids through `jobLabel` (manual copies
 * fold into their job) and event names: never secret, and bounded: the first
 * `maxJobLabels` jobs seen get their own series, later ones share `_other`
 * (thousands of one-off jobs would otherwise each cost a histogram's series,
 * in this process and in Prometheus).
 */
export function observeSchedulerEvents(events: SchedulerEvents, metrics: KairosMetrics, maxJobLabels = 500): () => void {
  const labelled = new Set<string>();
  const labelOf = (jobId: string): string => {
    const job = jobLabel(jobId);
    if (labelled.has(job)) return job;
    if (labelled.size >= maxJobLabels) return OTHER_JOBS_LABEL;
    labelled.add(job);
    return job;
  };
  return events.on('job:event', (event: JobEvent) => {
    const job = labelOf(event.jobId);
    if (event.event === 'submitted') {
      metrics.fireLatenessSeconds.observe({ job }, Math.max(0, event.recordedAt.getTime() - event.scheduledAt.getTime()) / 1000);
      return;
    }
    if (!OUTCOMES.has(event.event)) return;
    metrics.runsTotal.inc({ job, status: event.event });
    if (event.durationMs !== null) metrics.runDurationSeconds.observe({ job }, event.durationMs / 1000);
    if (event.event === 'missed') metrics.missedTotal.inc({ job });
    if (event.event === 'abandoned') metrics.abandonedTotal.inc({ job });
  });
}

/**
 * Copies notifier figures into the registry at scrape time: the queue depth is
 * a gauge; drops are a counter, advanced by what the channel counted since the
 * previous scrape.
 */
export function notifyMetricsUpdater(metrics: KairosMetrics): (channels: readonly NotifyChannelStatus[]) => void {
  const droppedSeen = new Map<string, number>();
  return (channels) => {
    for (const status of channels) {
      metrics.notifyQueueDepth.set({ channel: status.channel }, status.pending);
      const delta = status.dropped - (droppedSeen.get(status.channel) ?? 0);
      if (delta > 0) metrics.notifyDroppedTotal.inc({ channel: status.channel }, delta);
      droppedSeen.set(status.channel, status.dropped);
    }
  };
}
