import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { JobEvent } from '../../src/scheduler/events.js';
import { startApi, TOKEN, waitFor, type Harness } from './support.js';

type Message = { type: string; job_id?: string; run_id?: string; event?: string; message?: string | null; job_ids?: string[] | null; stats?: { history: unknown[] } };

/** A real client that records every message (also for the harness' secret check). */
async function connect(h: Harness, options: { query?: string; headers?: Record<string, string>; autoPong?: boolean } = {}) {
  const ws = new WebSocket(`${h.base.replace('http', 'ws')}/ws/scheduler${options.query ?? ''}`, { headers: options.headers, autoPong: options.autoPong ?? true });
  const messages: Message[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data, isBinary) => {
    h.record(String(data));
    // Browsers hand binary frames over as Blobs: every message must be a text frame.
    if (isBinary) throw new Error(`binary frame: ${String(data).slice(0, 80)}`);
    messages.push(JSON.parse(String(data)));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await waitFor(() => messages.length >= 1);
  return { ws, messages, closed };
}

/** The handshake's HTTP status when the server refuses the upgrade. */
async function refusedWith(h: Harness, options: { query?: string; headers?: Record<string, string> } = {}): Promise<number> {
  const ws = new WebSocket(`${h.base.replace('http', 'ws')}/ws/scheduler${options.query ?? ''}`, { headers: options.headers });
  return new Promise((resolve, reject) => {
    ws.on('error', () => undefined);
    ws.once('unexpected-response', (request, response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    ws.once('open', () => reject(new Error('connected')));
  });
}

function jobEvent(jobId: string, message: string): JobEvent {
  return { jobId, runId: '0', event: 'success', recordedAt: new Date(), scheduledAt: new Date(), durationMs: 1, message };
}

describe('WebSocket /ws/scheduler (reads open)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({ wsLimits: { maxQueued: 8, highWaterBytes: 64 * 1024, maxDropped: 16 } });
  });
  afterAll(async () => h.close());

  it('sends a snapshot, then events in order with stats', async () => {
    const { ws, messages } = await connect(h);
    await h.call('POST', '/scheduler/jobs/seed_date/trigger');
    await waitFor(() => messages.some((m) => m.job_id === 'seed_date' && m.event === 'success'));
    ws.close();
    expect(messages[0]).toMatchObject({ type: 'snapshot', status: { state: 'running' }, jobs: expect.any(Array) });
    const ours = messages.filter((m) => m.job_id === 'seed_date').map((m) => m.event);
    expect(ours.slice(-2)).toEqual(['submitted', 'success']);
    expect(messages.at(-1)!.stats!.history.length).toBeGreaterThan(0);
  });

  it('a plain HTTP GET is told to upgrade (426)', async () => {
    const answer = await h.call('GET', '/ws/scheduler');
    expect([answer.status, answer.body.error]).toEqual([426, 'upgrade_required']);
  });

  it('subscribe filters events to the listed jobs (and their manual copies); invalid messages get an error', async () => {
    const { ws, messages } = await connect(h);
    ws.send(JSON.stringify({ type: 'subscribe', job_ids: ['seed_date'] }));
    await waitFor(() => messages.some((m) => m.type === 'subscribed'));
    expect(messages.find((m) => m.type === 'subscribed')!.job_ids).toEqual(['seed_date']);
    h.scheduler.events.emit('job:event', jobEvent('seed_ok', 'filtered out'));
    h.scheduler.events.emit('job:event', jobEvent('seed_date__manual__1', 'copy'));
    h.scheduler.events.emit('job:event', jobEvent('seed_date', 'last'));
    await waitFor(() => messages.some((m) => m.message === 'last'));
    expect(messages.filter((m) => m.type === 'event').map((m) => m.message)).toEqual(['copy', 'last']);

    ws.send('{"type":"subscribe","job_ids":"seed_ok"}');
    ws.send('not json');
    await waitFor(() => messages.filter((m) => m.type === 'error').length === 2);
    expect(messages.filter((m) => m.type === 'error')[0]).toMatchObject({ error: 'invalid_message', message: expect.stringContaining('job_ids') });

    ws.send(JSON.stringify({ type: 'subscribe' }));
    await waitFor(() => messages.filter((m) => m.type === 'subscribed').length === 2);
    h.scheduler.events.emit('job:event', jobEvent('seed_ok', 'all again'));
    await waitFor(() => messages.some((m) => m.message === 'all again'));
    ws.close();
  });

  it('a client that stops reading is disconnected; a reading client keeps every event in order', async () => {
    const fast = await connect(h);
    const slow = await connect(h);
    const before = h.api.events.clientCount();
    // Real runs of seed_ok (every 5 s) may interleave; the synthetic events are run 0.
    // The slow client stops reading its TCP socket: kernel buffers, then the server's, then its queue fill up.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = 'x'.repeat(256 * 1024);
    let sent = 0;
    while (h.api.events.clientCount() === before && sent < 1000) {
      h.scheduler.events.emit('job:event', jobEvent('seed_ok', `${sent++} ${payload}`));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(h.api.events.clientCount()).toBe(before - 1);
    h.scheduler.events.emit('job:event', jobEvent('seed_ok', 'final'));
    await waitFor(() => fast.messages.some((m) => m.message === 'final'));
    const numbers = fast.messages.filter((m) => m.type === 'event' && m.run_id === '0' && m.message !== 'final').map((m) => Number(m.message!.split(' ')[0]));
    expect(numbers).toEqual(numbers.map((_, i) => i));
    expect(fast.ws.readyState).toBe(WebSocket.OPEN);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.closed).toBe(1006);
    fast.ws.close();
  });
});

describe('WebSocket heartbeat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({ wsHeartbeatMs: 50 });
  });
  afterAll(async () => h.close());

  it('terminates a client that stops answering pings, keeps one that answers', async () => {
    const silent = await connect(h, { autoPong: false });
    const healthy = await connect(h);
    let pings = 0;
    healthy.ws.on('ping', () => pings++);
    expect(await silent.closed).toBe(1006);
    await waitFor(() => pings >= 3);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    expect(h.api.events.clientCount()).toBe(1);
    healthy.ws.close();
  });
});

describe('auth with KAIROS_AUTH_READS=true', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({ auth: { tokens: ['another-token-that-is-long-1', TOKEN], authReads: true } });
  });
  afterAll(async () => h.close());

  it('the WebSocket needs the token: 401 without, 403 wrong, Bearer header or ?token= accepted', async () => {
    expect(await refusedWith(h)).toBe(401);
    expect(await refusedWith(h, { query: '?token=wrong-token-0000000000' })).toBe(403);
    expect(await refusedWith(h, { headers: { authorization: 'Bearer wrong-token-0000000000' } })).toBe(403);
    const byQuery = await connect(h, { query: `?token=${TOKEN}` });
    const byHeader = await connect(h, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect([byQuery.messages[0]!.type, byHeader.messages[0]!.type]).toEqual(['snapshot', 'snapshot']);
    byQuery.ws.close();
    byHeader.ws.close();
  });

  it('reads need the token; probes stay open; ?token= is not accepted outside the WebSocket', async () => {
    for (const path of ['/scheduler/status', '/scheduler/jobs', '/scheduler/jobs/seed_ok/runs', '/job-types', '/system/metrics', '/metrics', '/notify/status']) {
      expect((await h.call('GET', path, { token: null })).status, path).toBe(401);
      expect((await h.call('GET', path, { token: 'wrong-token-0000000000' })).status, path).toBe(403);
      expect((await h.call('GET', path)).status, path).toBe(200);
    }
    expect((await h.call('GET', `/scheduler/status?token=${TOKEN}`, { token: null })).status).toBe(401);
    for (const path of ['/health/', '/livez', '/readyz', '/openapi.json']) expect((await h.call('GET', path, { token: null })).status, path).toBe(200);
  });
});
