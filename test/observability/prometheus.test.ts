import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { OTHER_JOBS_LABEL, observeSchedulerEvents } from '../../src/api/scheduler-metrics.js';
import { createPrometheusRegistry, jobLabel } from '../../src/observability/prometheus.js';
import { SchedulerEvents } from '../../src/scheduler/events.js';

describe('createPrometheusRegistry', () => {
  it('renders default process metrics, once asked for, and every Kairos metric', async () => {
    const { registry, metrics, collectDefaults } = createPrometheusRegistry();
    expect(await registry.metrics()).not.toContain('process_cpu_user_seconds_total');
    collectDefaults();
    collectDefaults();
    metrics.runsTotal.inc({ job: 'snapshot', status: 'success' });
    metrics.runDurationSeconds.observe({ job: 'snapshot' }, 1.2);
    metrics.fireLatenessSeconds.observe({ job: 'snapshot' }, 0.02);
    metrics.missedTotal.inc({ job: 'snapshot' });
    metrics.abandonedTotal.inc({ job: 'snapshot' });
    metrics.notifyQueueDepth.set({ channel: 'process' }, 3);
    metrics.notifyDroppedTotal.inc({ channel: 'process' }, 2);
    metrics.websocketClients.set(4);

    const text = await registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).toContain('# TYPE kairos_runs_total counter');
    expect(text).toContain('kairos_runs_total{job="snapshot",status="success"} 1');
    expect(text).toContain('# TYPE kairos_run_duration_seconds histogram');
    expect(text).toContain('kairos_run_duration_seconds_bucket{le="2.5",job="snapshot"} 1');
    expect(text).toContain('kairos_fire_lateness_seconds_bucket{le="0.025",job="snapshot"} 1');
    expect(text).toContain('kairos_missed_total{job="snapshot"} 1');
    expect(text).toContain('kairos_abandoned_total{job="snapshot"} 1');
    expect(text).toContain('kairos_notify_queue_depth{channel="process"} 3');
    expect(text).toContain('kairos_notify_dropped_total{channel="process"} 2');
    expect(text).toContain('kairos_websocket_clients 4');
  });

  it('gives each call its own registry', async () => {
    const a = createPrometheusRegistry();
    const b = createPrometheusRegistry();
    a.metrics.websocketClients.set(1);
    expect(await b.registry.metrics()).toContain('kairos_websocket_clients 0');
  });
});

describe('jobLabel', () => {
  it('labels manual one-off copies by their base job id', () => {
    expect(jobLabel('mart_perf__manual__1733328218052')).toBe('mart_perf');
    expect(jobLabel('mart_perf')).toBe('mart_perf');
    expect(jobLabel('a__manual__b')).toBe('a__manual__b');
  });
});

describe('observeSchedulerEvents', () => {
  it('gives the first jobs their own series and folds the rest into _other', async () => {
    const { registry, metrics } = createPrometheusRegistry();
    const events = new SchedulerEvents(pino({ enabled: false }));
    observeSchedulerEvents(events, metrics, 2);
    const at = new Date('2026-01-01T00:00:00Z');
    for (const jobId of ['a', 'b', 'c', 'a__manual__1700000000000', 'd']) {
      events.emit('job:event', { jobId, runId: '1', event: 'success', recordedAt: at, scheduledAt: at, durationMs: 5, message: null });
    }
    const text = await registry.metrics();
    expect(text).toContain('kairos_runs_total{job="a",status="success"} 2');
    expect(text).toContain('kairos_runs_total{job="b",status="success"} 1');
    expect(text).toContain(`kairos_runs_total{job="${OTHER_JOBS_LABEL}",status="success"} 2`);
    expect(text).not.toContain('job="c"');
  });
});
