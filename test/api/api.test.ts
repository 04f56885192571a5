import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { buildApi, type Api } from '../../src/api/server.js';
import { loadJobsFile } from '../../src/jobs-file/load-jobs-file.js';
import { createLogging } from '../../src/observability/logging/create-logging.js';
import { defineJobType } from '../../src/scheduler/job-type.js';
import { JobTypeRegistry } from '../../src/scheduler/job-type-registry.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { SqliteJobStore } from '../../src/scheduler/stores/sqlite/sqlite-store.js';
import { tempDir } from '../support/scheduler.js';

const TOKEN = 'test-token-0123456789abcdef';
const dir = tempDir('api');
const jobsFile = join(dir, 'jobs.yaml');
let api: Api;
let scheduler: Scheduler;
let store: SqliteJobStore;
let base: string;

const greet = defineJobType({
  name: 'greet',
  description: 'says hello',
  kwargs: z.object({ greeting: z.string().default('hello'), symbol: z.string().optional(), dry_run: z.boolean().optional() }),
  async run(_ctx, kwargs) {
    return { message: `ok ${kwargs.greeting}${kwargs.symbol ? ` ${kwargs.symbol}` : ''}` };
  },
});

function writeJobs(extra = ''): void {
  writeFileSync(
    jobsFile,
    `jobs:
  - id: seed_ok
    func: greet
    trigger: cron
    second: "*/5"
    kwargs: { greeting: hello }
  - id: seed_date
    func: greet
    trigger: date
    run_date: "2099-01-01T00:00:00Z"
${extra}`,
  );
}

beforeAll(async () => {
  writeJobs();
  store = new SqliteJobStore(join(dir, 'kairos.db'));
  await store.migrate();
  const registry = new JobTypeRegistry().register(greet);
  const logging = createLogging({ dir: null, console: 'off' });
  scheduler = new Scheduler({ store, resolveJobType: (f) => registry.get(f), logger: logging.logger, runLogger: (b) => logging.forRun(b) });
  const reload = async () => scheduler.reconcile(await loadJobsFile(jobsFile, registry, (d) => scheduler.validateDefinition(d)));
  await reload();
  api = await buildApi({ scheduler, reload, auth: { tokens: [TOKEN], authReads: false }, logger: logging.logger, version: 'test', bodyLimit: 4096 });
  await scheduler.start();
  base = await api.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  api.events.closeAll();
  await scheduler.stop(1000);
  await api.app.close();
  await store.close();
});

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN, raw?: string) {
  const response = await fetch(base + path, {
    method,
    redirect: 'manual',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

describe('original endpoints', () => {
  it('GET /health/ reports the scheduler; /health redirects with 307', async () => {
    const health = await call('GET', '/health/', undefined, null);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, scheduler: { state: 'running', running: true, job_count: 2, timezone: 'UTC' } });
    expect(health.body.scheduler.next_run_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const redirect = await call('GET', '/health', undefined, null);
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, '/health/']);
  });

  it('GET /scheduler/jobs lists jobs ordered by next run time in the original shape', async () => {
    const { status, body } = await call('GET', '/scheduler/jobs', undefined, null);
    expect(status).toBe(200);
    expect(body.count).toBe(2);
    expect(body.jobs.map((j: { id: string }) => j.id)).toEqual(['seed_ok', 'seed_date']);
    expect(body.jobs[0]).toMatchObject({
      id: 'seed_ok',
      name: 'seed_ok',
      func_ref: 'greet',
      trigger: "cron[second='*/5']",
      kwargs: { func_spec: 'greet', job_id: 'seed_ok', kwargs: { greeting: 'hello' } },
      coalesce: true,
      max_instances: 1,
      misfire_grace_time: 60,
      stats: { total_runs: expect.any(Number), history: expect.any(Array) },
    });
    expect(body.jobs[1].trigger).toBe('date[2099-01-01 00:00:00 UTC]');
  });

  it('unknown job is 404 with the error shape', async () => {
    const { status, body } = await call('GET', '/scheduler/jobs/__no_such_job__');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'job_not_found', message: "Job '__no_such_job__' not found" });
    expect((await call('POST', '/scheduler/jobs/__no_such_job__/pause')).status).toBe(404);
    expect((await call('POST', '/scheduler/jobs/__no_such_job__/resume')).status).toBe(404);
    expect((await call('POST', '/scheduler/jobs/__no_such_job__/trigger')).status).toBe(404);
  });

  it('trigger without body, with {} and with empty overrides runs the job itself', async () => {
    for (const body of [undefined, {}, { overrides: {} }]) {
      const { status, body: answer } = await call('POST', '/scheduler/jobs/seed_date/trigger', body);
      expect(status).toBe(202);
      expect(answer).toMatchObject({ job_id: 'seed_date', scheduled_job_id: 'seed_date', overrides: null });
    }
    await waitFor(async () => (await call('GET', '/scheduler/jobs/seed_date')).body.stats.total_success >= 1);
    const after = await call('GET', '/scheduler/jobs/seed_date');
    expect(after.body.next_run_time).toBe('2099-01-01T00:00:00Z');
  });

  it("trigger with the README's overrides body runs a one-off copy with those kwargs", async () => {
    const { status, body } = await call('POST', '/scheduler/jobs/seed_ok/trigger', { overrides: { kwargs: { symbol: 'ETHUSDT', dry_run: true } } });
    expect(status).toBe(202);
    expect(body.scheduled_job_id).toMatch(/^seed_ok__manual__\d+$/);
    expect(body.overrides).toEqual({ kwargs: { symbol: 'ETHUSDT', dry_run: true } });
    await waitFor(async () => (await call('GET', `/scheduler/jobs/${body.scheduled_job_id}/runs`)).body?.runs?.[0]?.status === 'success');
    const runs = await call('GET', `/scheduler/jobs/${body.scheduled_job_id}/runs`);
    expect(runs.body.runs[0].message).toBe('ok hello ETHUSDT');
  });

  it('rejects bad trigger bodies with 400 naming the field, and runs nothing', async () => {
    const before = (await scheduler.listJobs()).length;
    const notObject = await call('POST', '/scheduler/jobs/seed_ok/trigger', { overrides: [1, 2] });
    expect(notObject.status).toBe(400);
    expect(notObject.body.details[0].field).toBe('body.overrides');
    const flat = await call('POST', '/scheduler/jobs/seed_ok/trigger', { overrides: { symbol: 'BTCUSDT' } });
    expect(flat.status).toBe(400);
    expect(flat.body.details[0].field).toBe('body.overrides.symbol');
    const badKwargs = await call('POST', '/scheduler/jobs/seed_ok/trigger', { overrides: { kwargs: { dry_run: 'yes' } } });
    expect(badKwargs.status).toBe(400);
    expect(badKwargs.body).toMatchObject({ error: 'invalid_kwargs', details: [{ field: 'kwargs.dry_run' }] });
    const invalidJson = await call('POST', '/scheduler/jobs/seed_ok/trigger', undefined, TOKEN, '{not json');
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body.message).toMatch(/not valid JSON/);
    const tooLarge = await call('POST', '/scheduler/jobs/seed_ok/trigger', { overrides: { kwargs: { greeting: 'x'.repeat(5000) } } });
    expect(tooLarge.status).toBe(413);
    expect((await scheduler.listJobs()).length).toBe(before);
  });

  it('pause and resume answer 202 with the job', async () => {
    const paused = await call('POST', '/scheduler/jobs/seed_ok/pause');
    expect(paused.status).toBe(202);
    expect([paused.body.id, paused.body.next_run_time, paused.body.paused]).toEqual(['seed_ok', null, true]);
    const resumed = await call('POST', '/scheduler/jobs/seed_ok/resume');
    expect(resumed.status).toBe(202);
    expect(resumed.body.next_run_time).not.toBeNull();
  });

  it('reload answers the diff; a bad file is 400 and changes nothing', async () => {
    writeJobs(`  - id: added_job\n    func: greet\n    trigger: interval\n    minutes: 5\n`);
    const ok = await call('POST', '/scheduler/reload');
    expect(ok.status).toBe(202);
    expect(ok.body).toEqual({ message: 'Jobs reloaded', added: ['added_job'], changed: [], removed: [] });
    writeFileSync(jobsFile, 'jobs:\n  - id: broken\n    func: greet\n    trigger: cron\n    second: "*/5\n');
    const bad = await call('POST', '/scheduler/reload');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_jobs_file');
    expect((await call('GET', '/scheduler/jobs/added_job')).status).toBe(200);
    writeJobs();
    expect((await call('POST', '/scheduler/reload')).body.removed).toEqual(['added_job']);
  });
});

describe('auth', () => {
  it('mutations need the token: 401 without, 403 wrong, reads stay open by default', async () => {
    const missing = await call('POST', '/scheduler/jobs/seed_ok/pause', undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toBe('unauthorized');
    const wrong = await call('POST', '/scheduler/jobs/seed_ok/pause', undefined, 'wrong-token-0123456789');
    expect(wrong.status).toBe(403);
    expect((await call('GET', '/scheduler/status', undefined, null)).status).toBe(200);
    expect((await scheduler.getJob('seed_ok'))!.job.paused).toBe(false);
  });
});

describe('WebSocket /ws/scheduler', () => {
  it('sends a snapshot, then events in order with stats', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/scheduler`);
    const messages: { type: string; job_id?: string; event?: string; stats?: { history: unknown[] } }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => ws.once('open', resolve));
    await waitFor(async () => messages.length >= 1);
    await call('POST', '/scheduler/jobs/seed_date/trigger');
    await waitFor(async () => messages.some((m) => m.job_id === 'seed_date' && m.event === 'success'));
    ws.close();
    expect(messages[0]!.type).toBe('snapshot');
    const ours = messages.filter((m) => m.job_id === 'seed_date').map((m) => m.event);
    expect(ours.slice(-2)).toEqual(['submitted', 'success']);
    expect(messages.at(-1)!.stats!.history.length).toBeGreaterThan(0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
