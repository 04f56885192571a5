import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/observability/logging/redact-secrets.js';
import { startApi, waitFor, type Harness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => h.close());

describe('original endpoints', () => {
  it('GET /health/ reports the scheduler; /health redirects with 307', async () => {
    const health = await h.call('GET', '/health/', { token: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, scheduler: { state: 'running', running: true, job_count: 4, timezone: 'UTC' } });
    expect(Object.keys(health.body.scheduler).sort()).toEqual(['instance_id', 'job_count', 'next_run_time', 'running', 'started_at', 'state', 'timezone']);
    expect(health.body.scheduler.next_run_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const redirect = await h.call('GET', '/health', { token: null });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, '/health/']);
  });

  it('GET /scheduler/jobs lists jobs ordered by next run time in the original shape', async () => {
    const { status, body } = await h.call('GET', '/scheduler/jobs', { token: null });
    expect(status).toBe(200);
    expect(body.count).toBe(4);
    expect(body.jobs[0].id).toBe('seed_ok');
    expect(body.jobs[0]).toMatchObject({
      id: 'seed_ok',
      name: 'seed_ok',
      func_ref: 'greet',
      trigger: "cron[second='*/5']",
      trigger_spec: { trigger: 'cron', second: '*/5' },
      kwargs: { func_spec: 'greet', job_id: 'seed_ok', kwargs: { greeting: 'hello' } },
      coalesce: true,
      max_instances: 1,
      misfire_grace_time: 60,
      paused: false,
      owner: 'yaml',
      options: { timeout: null, retries: { max: 0, backoff: 10, max_backoff: 600 }, depends_on: [], enabled: true, catch_up: 'latest', overlap: 'skip', alert_if_no_success_within: null },
      stats: { total_runs: expect.any(Number), history: expect.any(Array) },
    });
    expect(Object.keys(body.jobs[0].stats).sort()).toEqual(
      ['history', 'last_duration_ms', 'last_error', 'last_event', 'last_finished_at', 'last_scheduled_at', 'last_started_at', 'total_error', 'total_missed', 'total_runs', 'total_success'].sort(),
    );
    expect(body.jobs.find((j: { id: string }) => j.id === 'seed_date').trigger).toBe('date[2099-01-01 00:00:00 UTC]');
  });

  it('redacts secrets in kwargs: header values, secret-named keys, webhook paths and URL passwords', async () => {
    const hook = (await h.call('GET', '/scheduler/jobs/notify_hook')).body.kwargs.kwargs;
    expect(hook.headers).toEqual({ Authorization: REDACTED });
    expect(hook.url).toBe(`https://discord.com/api/webhooks/${REDACTED}`);
    const leaky = (await h.call('GET', '/scheduler/jobs/leaky_job')).body.kwargs.kwargs;
    expect(leaky).toEqual({ dsn: REDACTED, note: `see postgres://etl:${REDACTED}@db.internal:5432/warehouse` });
  });

  it('a failing run keeps its error but not the password it quoted (run, stats, history)', async () => {
    expect((await h.call('POST', '/scheduler/jobs/leaky_job/trigger')).status).toBe(202);
    await waitFor(async () => (await h.call('GET', '/scheduler/jobs/leaky_job')).body.stats.total_error >= 1);
    const job = (await h.call('GET', '/scheduler/jobs/leaky_job')).body;
    expect(job.stats.last_error).toContain(`postgres://etl:${REDACTED}@db.internal`);
    expect(job.stats.history.at(-1)).toMatchObject({ event: 'error' });
    const runs = await h.call('GET', '/scheduler/jobs/leaky_job/runs');
    const run = await h.call('GET', `/scheduler/runs/${runs.body.runs[0].id}`);
    expect(run.body.error).toContain(REDACTED);
    expect(Array.isArray(run.body.log_tail)).toBe(true);
  });

  it('unknown job is 404 with the error shape', async () => {
    const { status, body } = await h.call('GET', '/scheduler/jobs/__no_such_job__');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'job_not_found', message: "Job '__no_such_job__' not found" });
    for (const action of ['pause', 'resume', 'trigger']) expect((await h.call('POST', `/scheduler/jobs/__no_such_job__/${action}`)).status).toBe(404);
    expect((await h.call('GET', '/scheduler/runs/999999')).body.error).toBe('run_not_found');
    expect((await h.call('GET', '/scheduler/runs/abc')).status).toBe(400);
    expect((await h.call('GET', '/no/such/route')).body.error).toBe('not_found');
  });

  it('trigger without body, with {} and with empty overrides runs the job itself', async () => {
    for (const body of [undefined, {}, { overrides: {} }]) {
      const { status, body: answer } = await h.call('POST', '/scheduler/jobs/seed_date/trigger', { body });
      expect(status).toBe(202);
      expect(answer).toMatchObject({ job_id: 'seed_date', scheduled_job_id: 'seed_date', overrides: null });
    }
    await waitFor(async () => (await h.call('GET', '/scheduler/jobs/seed_date')).body.stats.total_success >= 1);
    expect((await h.call('GET', '/scheduler/jobs/seed_date')).body.next_run_time).toBe('2099-01-01T00:00:00Z');
  });

  it("trigger with the README's overrides body runs a one-off copy with those kwargs", async () => {
    const { status, body } = await h.call('POST', '/scheduler/jobs/seed_ok/trigger', { body: { overrides: { kwargs: { symbol: 'ETHUSDT', dry_run: true } } } });
    expect(status).toBe(202);
    expect(body.scheduled_job_id).toMatch(/^seed_ok__manual__\d+$/);
    expect(body.overrides).toEqual({ kwargs: { symbol: 'ETHUSDT', dry_run: true } });
    await waitFor(async () => (await h.call('GET', `/scheduler/jobs/${body.scheduled_job_id}/runs`)).body?.runs?.[0]?.status === 'success');
    expect((await h.call('GET', `/scheduler/jobs/${body.scheduled_job_id}/runs`)).body.runs[0].message).toBe('ok hello ETHUSDT');
  });

  it('rejects bad trigger bodies with 400 naming the field, and runs nothing', async () => {
    const before = (await h.scheduler.listJobs()).length;
    const notObject = await h.call('POST', '/scheduler/jobs/seed_ok/trigger', { body: { overrides: [1, 2] } });
    expect([notObject.status, notObject.body.details[0].field]).toEqual([400, 'body.overrides']);
    const flat = await h.call('POST', '/scheduler/jobs/seed_ok/trigger', { body: { overrides: { symbol: 'BTCUSDT' } } });
    expect(flat.body.details[0]).toEqual({ field: 'body.overrides.symbol', message: 'unknown field' });
    const badKwargs = await h.call('POST', '/scheduler/jobs/seed_ok/trigger', { body: { overrides: { kwargs: { dry_run: 'yes' } } } });
    expect(badKwargs.body).toMatchObject({ error: 'invalid_kwargs', details: [{ field: 'kwargs.dry_run' }] });
    const invalidJson = await h.call('POST', '/scheduler/jobs/seed_ok/trigger', { raw: '{"secret": "abc' });
    expect([invalidJson.status, invalidJson.body.message]).toEqual([400, 'request body is not valid JSON']);
    const tooLarge = await h.call('POST', '/scheduler/jobs/seed_ok/trigger', { body: { overrides: { kwargs: { greeting: 'x'.repeat(5000) } } } });
    expect([tooLarge.status, tooLarge.body.error]).toEqual([413, 'body_too_large']);
    expect((await h.scheduler.listJobs()).length).toBe(before);
  });

  it('pause and resume a job answer 202 with the job', async () => {
    const paused = await h.call('POST', '/scheduler/jobs/seed_ok/pause');
    expect([paused.status, paused.body.id, paused.body.next_run_time, paused.body.paused]).toEqual([202, 'seed_ok', null, true]);
    const resumed = await h.call('POST', '/scheduler/jobs/seed_ok/resume');
    expect(resumed.status).toBe(202);
    expect(resumed.body.next_run_time).not.toBeNull();
  });

  it('pause and resume the whole scheduler', async () => {
    const paused = await h.call('POST', '/scheduler/pause');
    expect([paused.status, paused.body.state, paused.body.next_run_time]).toEqual([202, 'paused', null]);
    expect((await h.call('GET', '/scheduler/status')).body.state).toBe('paused');
    const resumed = await h.call('POST', '/scheduler/resume');
    expect([resumed.status, resumed.body.state]).toEqual([202, 'running']);
  });

  it('reload answers the diff; a bad file is 400 and changes nothing', async () => {
    h.writeJobs(`  - id: added_job\n    func: greet\n    trigger: interval\n    minutes: 5\n`);
    const ok = await h.call('POST', '/scheduler/reload');
    expect([ok.status, ok.body]).toEqual([202, { message: 'Jobs reloaded', added: ['added_job'], changed: [], removed: [] }]);
    writeFileSync(h.jobsFile, 'jobs:\n  - id: broken\n    func: greet\n    trigger: cron\n    second: "*/5\n');
    const bad = await h.call('POST', '/scheduler/reload');
    expect([bad.status, bad.body.error]).toEqual([400, 'invalid_jobs_file']);
    expect((await h.call('GET', '/scheduler/jobs/added_job')).status).toBe(200);
    h.writeJobs();
    expect((await h.call('POST', '/scheduler/reload')).body.removed).toEqual(['added_job']);
  });

  it('liveness and readiness', async () => {
    expect((await h.call('GET', '/livez', { token: null })).body).toEqual({ ok: true });
    expect((await h.call('GET', '/readyz', { token: null })).body).toEqual({ ok: true });
  });
});

describe('auth (reads open by default)', () => {
  it('mutations need the token: 401 without (with WWW-Authenticate), 403 wrong; nothing changes', async () => {
    const missing = await h.call('POST', '/scheduler/jobs/seed_ok/pause', { token: null });
    expect([missing.status, missing.body.error, missing.headers.get('www-authenticate')]).toEqual([401, 'unauthorized', 'Bearer']);
    const wrong = await h.call('POST', '/scheduler/jobs/seed_ok/pause', { token: 'wrong-token-0123456789' });
    expect([wrong.status, wrong.body.error]).toEqual([403, 'forbidden']);
    const basic = await fetch(`${h.base}/scheduler/pause`, { method: 'POST', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
    expect((await h.call('GET', '/scheduler/status', { token: null })).status).toBe(200);
    expect((await h.scheduler.getJob('seed_ok'))!.job.paused).toBe(false);
    expect((await h.scheduler.status()).state).toBe('running');
  });

  it('an unauthenticated oversized body is refused as 401 before it is read', async () => {
    const response = await h.call('POST', '/scheduler/jobs', { token: null, body: { id: 'x', func: 'greet', pad: 'x'.repeat(10_000) } });
    expect(response.status).toBe(401);
  });
});
