import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { NotifyChannelStatus } from '../../src/api/server.js';
import { startApi, waitFor, type Harness } from './support.js';

const channels: NotifyChannelStatus[] = [{ channel: 'process', queued: 10, sent: 7, retried: 1, dropped: 2, failed: 0, pending: 3 }];
let h: Harness;
beforeAll(async () => {
  h = await startApi({ diskPath: '/tmp', notifyStatus: () => channels });
});
afterAll(async () => h.close());

describe('system endpoints', () => {
  it('GET /system/metrics answers the SPEC 10 shape', async () => {
    const { status, body } = await h.call('GET', '/system/metrics');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['cgroup', 'collected_at', 'process', 'system']);
    expect(Object.keys(body.process).sort()).toEqual(
      ['cmdline', 'cpu_percent', 'create_time', 'event_loop_delay_ms', 'memory_bytes', 'memory_percent', 'open_files', 'pid', 'threads'].sort(),
    );
    expect(body.process.pid).toBe(process.pid);
    expect(Object.keys(body.system).sort()).toEqual(
      ['cpu_percent', 'load_average', 'memory_available', 'memory_percent', 'memory_total', 'memory_used', 'swap_percent', 'swap_total', 'swap_used'].sort(),
    );
    expect(body.system.load_average).toHaveLength(3);
    expect(typeof body.cgroup.available).toBe('boolean');
    if (body.cgroup.available) expect(body.cgroup).toHaveProperty('cpu_stat');
  });

  it('GET /system/resources measures the configured path by default, or ?device=', async () => {
    const dflt = await h.call('GET', '/system/resources');
    expect(dflt.body).toMatchObject({ disk: { available: true, path: '/tmp' }, device: { available: true, device: '/tmp' }, docker: { available: false } });
    expect(dflt.body.disk.total).toBeGreaterThan(0);
    expect(Object.keys(dflt.body).sort()).toEqual(['collected_at', 'container', 'device', 'disk', 'docker']);
    const missing = await h.call('GET', '/system/resources?device=/dev/no-such-disk');
    expect(missing.body.device).toEqual({ available: false, device: '/dev/no-such-disk', error: 'device_or_mount_not_found' });
    expect((await h.call('GET', '/system/resources?device=')).status).toBe(400);
  });

  it('GET /notify/status lists the channels by name and counts only', async () => {
    expect((await h.call('GET', '/notify/status')).body).toEqual({ channels });
  });
});

describe('Prometheus /metrics', () => {
  it('counts runs by job and outcome, durations, lateness, WebSocket clients and notify queues', async () => {
    const ws = new WebSocket(`${h.base.replace('http', 'ws')}/ws/scheduler`);
    await new Promise((resolve) => ws.once('message', resolve));
    const trigger = await h.call('POST', '/scheduler/jobs/seed_ok/trigger', { body: { overrides: { kwargs: { symbol: 'X' } } } });
    await waitFor(async () => (await h.call('GET', `/scheduler/jobs/${trigger.body.scheduled_job_id}/runs`)).body.runs[0]?.status === 'success');
    await h.call('POST', '/scheduler/jobs/leaky_job/trigger');
    await waitFor(async () => (await h.call('GET', '/scheduler/jobs/leaky_job')).body.stats.total_error >= 1);

    const { status, text, headers } = await h.call('GET', '/metrics');
    ws.close();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain/);
    // The manual copy counts under its job: no series per trigger.
    expect(text).toMatch(/^kairos_runs_total\{job="seed_ok",status="success"\} [1-9]/m);
    expect(text).not.toContain('__manual__');
    expect(text).toMatch(/^kairos_runs_total\{job="leaky_job",status="error"\} 1$/m);
    expect(text).toMatch(/^kairos_run_duration_seconds_count\{job="leaky_job"\} 1$/m);
    expect(text).toMatch(/^kairos_fire_lateness_seconds_count\{job="leaky_job"\} 1$/m);
    expect(text).toMatch(/^kairos_websocket_clients 1$/m);
    expect(text).toMatch(/^kairos_notify_queue_depth\{channel="process"\} 3$/m);
    expect(text).toMatch(/^kairos_notify_dropped_total\{channel="process"\} 2$/m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);

    channels[0] = { ...channels[0]!, dropped: 5, pending: 0 };
    const again = (await h.call('GET', '/metrics')).text;
    expect(again).toMatch(/^kairos_notify_dropped_total\{channel="process"\} 5$/m);
    expect(again).toMatch(/^kairos_notify_queue_depth\{channel="process"\} 0$/m);
  });

  it('counts missed and abandoned fires from the event bus', async () => {
    const at = new Date();
    for (const event of ['missed', 'abandoned'] as const) {
      h.scheduler.events.emit('job:event', { jobId: 'seed_date', runId: '0', event, recordedAt: at, scheduledAt: at, durationMs: null, message: null });
    }
    const text = (await h.call('GET', '/metrics')).text;
    expect(text).toMatch(/^kairos_missed_total\{job="seed_date"\} 1$/m);
    expect(text).toMatch(/^kairos_abandoned_total\{job="seed_date"\} 1$/m);
    expect(text).toMatch(/^kairos_runs_total\{job="seed_date",status="missed"\} 1$/m);
  });
});
