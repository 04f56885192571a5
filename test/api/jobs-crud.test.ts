import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, waitFor, type Harness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => h.close());

const NEW_JOB = { id: 'api_job', func: 'greet', trigger: 'interval', minutes: 5, start_date: '2030-01-01T00:00:00Z', kwargs: { greeting: 'hi' }, max_instances: 2, retries: 1 };

describe('job CRUD', () => {
  it('POST creates a job from a jobs.yaml entry: 201, Location, the job; a second POST is 409', async () => {
    const created = await h.call('POST', '/scheduler/jobs', { body: NEW_JOB });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/scheduler/jobs/api_job');
    expect(created.body).toMatchObject({
      id: 'api_job',
      owner: 'api',
      trigger: 'interval[0:05:00]',
      next_run_time: '2030-01-01T00:00:00Z',
      max_instances: 2,
      options: { retries: { max: 1 } },
      kwargs: { kwargs: { greeting: 'hi' } },
    });
    const again = await h.call('POST', '/scheduler/jobs', { body: { ...NEW_JOB, kwargs: { greeting: 'other' } } });
    expect([again.status, again.body.error]).toEqual([409, 'job_exists']);
    expect((await h.call('GET', '/scheduler/jobs/api_job')).body.kwargs.kwargs).toEqual({ greeting: 'hi' });
  });

  it('POST accepts the crontab string form', async () => {
    const created = await h.call('POST', '/scheduler/jobs', { body: { id: 'api_cron', func: 'greet:run', cron: '0 3 * * 1-5', timezone: 'Asia/Taipei' } });
    expect(created.status).toBe(201);
    expect(created.body.trigger).toMatch(/^cron\[/);
    expect(created.body.func_ref).toBe('greet');
    expect((await h.call('DELETE', '/scheduler/jobs/api_cron')).status).toBe(204);
  });

  it('POST validation names each bad field and stores nothing', async () => {
    const count = async () => (await h.scheduler.listJobs()).length;
    const before = await count();
    const cases: [unknown, string, string[]][] = [
      [{ func: 'greet', trigger: 'cron', second: 1 }, 'invalid_request', ['body.id']],
      [{ id: 'bad id!', func: 'greet', trigger: 'cron' }, 'invalid_request', ['body.id']],
      [{ id: 'x1', func: 'greet', trigger: 'weekly' }, 'invalid_request', ['body.trigger']],
      [{ id: 'x2', func: 'greet', trigger: 'cron', max_instances: 0, coalesce: 'yes' }, 'invalid_request', ['body.max_instances', 'body.coalesce']],
      [{ id: 'x3', func: 'greet', trigger: 'cron', second: '*/99', timeout: 'soon' }, 'invalid_definition', ['body.second', 'body.timeout']],
      [{ id: 'x4', func: 'greet' }, 'invalid_definition', ['body.trigger']],
      [{ id: 'x5__manual__1', func: 'greet', trigger: 'cron', second: 0 }, 'invalid_definition', ['body.id']],
      [{ id: 'x6', func: 'nope', trigger: 'cron', second: 0 }, 'unknown_job_type', ['body.func']],
      [{ id: 'x7', func: 'greet', trigger: 'cron', second: 0, kwargs: { greeting: 3, extra: true } }, 'invalid_kwargs', ['body.kwargs.greeting', 'body.kwargs']],
    ];
    for (const [body, error, fields] of cases) {
      const answer = await h.call('POST', '/scheduler/jobs', { body });
      expect([answer.status, answer.body.error], JSON.stringify(body)).toEqual([400, error]);
      expect(answer.body.details.map((d: { field: string }) => d.field).sort(), JSON.stringify(body)).toEqual([...fields].sort());
    }
    expect(await count()).toBe(before);
  });

  it('PATCH merges kwargs (null removes a key) and replaces options; PATCH {} changes nothing', async () => {
    const patched = await h.call('PATCH', '/scheduler/jobs/api_job', { body: { kwargs: { symbol: 'BTC' }, max_instances: 3, timeout: '90s', overlap: 'queue' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ kwargs: { kwargs: { greeting: 'hi', symbol: 'BTC' } }, max_instances: 3, options: { timeout: 90, overlap: 'queue', retries: { max: 1 } } });
    expect(patched.body.next_run_time).toBe('2030-01-01T00:00:00Z');
    const removed = await h.call('PATCH', '/scheduler/jobs/api_job', { body: { kwargs: { symbol: null } } });
    expect(removed.body.kwargs.kwargs).toEqual({ greeting: 'hi' });
    const same = await h.call('PATCH', '/scheduler/jobs/api_job', { body: {} });
    expect({ ...same.body, stats: null }).toEqual({ ...removed.body, stats: null });
  });

  it('PATCH refuses bad input whole: unknown fields, id, trigger fields, bad kwargs', async () => {
    const before = (await h.call('GET', '/scheduler/jobs/api_job')).body;
    const unknown = await h.call('PATCH', '/scheduler/jobs/api_job', { body: { id: 'renamed', minutes: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.id', 'body.minutes']);
    const badKwargs = await h.call('PATCH', '/scheduler/jobs/api_job', { body: { max_instances: 5, kwargs: { dry_run: 'no' } } });
    expect([badKwargs.status, badKwargs.body.error, badKwargs.body.details[0].field]).toEqual([400, 'invalid_kwargs', 'body.kwargs.dry_run']);
    const after = (await h.call('GET', '/scheduler/jobs/api_job')).body;
    expect({ ...after, stats: null }).toEqual({ ...before, stats: null });
  });

  it('PUT .../trigger reschedules; options stay; bad specs are 400 and change nothing', async () => {
    const rescheduled = await h.call('PUT', '/scheduler/jobs/api_job/trigger', { body: { trigger: 'date', run_date: '2031-06-01T12:00:00Z' } });
    expect(rescheduled.status).toBe(200);
    expect(rescheduled.body).toMatchObject({ trigger: 'date[2031-06-01 12:00:00 UTC]', next_run_time: '2031-06-01T12:00:00Z', max_instances: 3 });
    const bad = await h.call('PUT', '/scheduler/jobs/api_job/trigger', { body: { trigger: 'cron', hour: 25 } });
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'body.hour']);
    const option = await h.call('PUT', '/scheduler/jobs/api_job/trigger', { body: { trigger: 'cron', kwargs: {} } });
    expect([option.status, option.body.details[0].field]).toEqual([400, 'body.kwargs']);
    expect((await h.call('PUT', '/scheduler/jobs/api_job/trigger', { body: {} })).status).toBe(400);
    expect((await h.call('GET', '/scheduler/jobs/api_job')).body.next_run_time).toBe('2031-06-01T12:00:00Z');
  });

  it('jobs.yaml jobs cannot be modified or deleted through the API (409); unknown ids are 404', async () => {
    for (const [method, path, body] of [
      ['PATCH', '/scheduler/jobs/seed_ok', { max_instances: 2 }],
      ['PUT', '/scheduler/jobs/seed_ok/trigger', { trigger: 'cron', second: 0 }],
      ['DELETE', '/scheduler/jobs/seed_ok', undefined],
    ] as const) {
      const answer = await h.call(method, path, { body });
      expect([answer.status, answer.body.error]).toEqual([409, 'job_owned_by_file']);
      expect((await h.call(method, path.replace('seed_ok', 'no_such'), { body })).status).toBe(404);
    }
    expect((await h.call('GET', '/scheduler/jobs/seed_ok')).body.max_instances).toBe(1);
  });

  it('API-owned jobs survive a reload of jobs.yaml', async () => {
    const reload = await h.call('POST', '/scheduler/reload');
    expect(reload.body.removed).toEqual([]);
    expect((await h.call('GET', '/scheduler/jobs/api_job')).body.owner).toBe('api');
  });

  it('mutations need the token', async () => {
    expect((await h.call('POST', '/scheduler/jobs', { body: { ...NEW_JOB, id: 'other' }, token: null })).status).toBe(401);
    expect((await h.call('PATCH', '/scheduler/jobs/api_job', { body: {}, token: 'not-the-token-000000' })).status).toBe(403);
    expect((await h.call('DELETE', '/scheduler/jobs/api_job', { token: null })).status).toBe(401);
    expect((await h.call('PUT', '/scheduler/jobs/api_job/trigger', { body: { trigger: 'cron' }, token: null })).status).toBe(401);
    expect((await h.call('POST', '/scheduler/jobs', { body: { ...NEW_JOB, id: 'big', pad: 'x'.repeat(5000) } })).status).toBe(413);
    expect(await h.scheduler.getJob('other')).toBeNull();
  });

  it('DELETE answers 204 and keeps the run history', async () => {
    await h.call('POST', '/scheduler/jobs/api_job/trigger');
    await waitFor(async () => (await h.call('GET', '/scheduler/jobs/api_job/runs')).body.runs[0]?.status === 'success');
    const deleted = await h.call('DELETE', '/scheduler/jobs/api_job');
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    expect((await h.call('GET', '/scheduler/jobs/api_job')).status).toBe(404);
    expect((await h.call('GET', '/scheduler/jobs/api_job/runs')).body.total).toBe(1);
    expect((await h.call('DELETE', '/scheduler/jobs/api_job')).status).toBe(404);
  });
});

describe('previews and job types', () => {
  it('GET /scheduler/preview matches `kairos schedule preview`', async () => {
    const spec = encodeURIComponent(JSON.stringify({ trigger: 'cron', second: '*/10', timezone: 'Asia/Taipei' }));
    const answer = await h.call('GET', `/scheduler/preview?spec=${spec}&from=2026-01-01T00:00:00Z&count=3`);
    expect(answer.body).toEqual({ fire_times: ['2026-01-01T00:00:00Z', '2026-01-01T00:00:10Z', '2026-01-01T00:00:20Z'] });
    const dflt = await h.call('GET', `/scheduler/preview?spec=${spec}`);
    expect(dflt.body.fire_times).toHaveLength(10);
  });

  it('GET /scheduler/preview validation', async () => {
    const bad = async (query: string) => (await h.call('GET', `/scheduler/preview?${query}`)).body;
    expect((await bad('count=3')).details[0].field).toBe('querystring.spec');
    expect((await bad('spec=%7Bnot')).details[0].field).toBe('querystring.spec');
    expect((await bad(`spec=${encodeURIComponent('{"second":1}')}`)).details[0].field).toBe('querystring.spec.trigger');
    expect(await bad(`spec=${encodeURIComponent('{"trigger":"cron","hour":"25"}')}`)).toMatchObject({ error: 'invalid_trigger', details: [{ field: 'querystring.spec.hour' }] });
    expect((await bad(`spec=${encodeURIComponent('{"trigger":"cron"}')}&count=5000`)).details[0].field).toBe('querystring.count');
    expect((await bad(`spec=${encodeURIComponent('{"trigger":"cron"}')}&from=yesterday`)).details[0].field).toBe('querystring.from');
  });

  it("GET /scheduler/jobs/{id}/preview starts at the job's next run time", async () => {
    const answer = await h.call('GET', '/scheduler/jobs/seed_date/preview?count=3');
    expect(answer.body).toEqual({ fire_times: ['2099-01-01T00:00:00Z'] });
    const cron = await h.call('GET', '/scheduler/jobs/seed_ok/preview?count=2');
    const [first, second] = cron.body.fire_times.map(Date.parse);
    expect(first).toBe(Date.parse((await h.call('GET', '/scheduler/jobs/seed_ok')).body.next_run_time));
    expect(second - first).toBe(5000);
    expect((await h.call('GET', '/scheduler/jobs/nope/preview')).status).toBe(404);
    expect((await h.call('GET', '/scheduler/jobs/seed_ok/preview?count=-1')).status).toBe(400);
  });

  it('GET /job-types lists each type with its kwargs JSON Schema', async () => {
    const { body } = await h.call('GET', '/job-types');
    expect(body.job_types.map((t: { name: string }) => t.name)).toEqual(['greet', 'http_request', 'leaky']);
    expect(body.job_types[0]).toMatchObject({ name: 'greet', description: 'says hello', kwargs_schema: { type: 'object', properties: { greeting: { type: 'string' } } } });
  });
});

describe('run history', () => {
  it('filters by status and time, pages with limit/offset, newest first', async () => {
    const created = await h.call('POST', '/scheduler/jobs', { body: { id: 'runs_job', func: 'greet', trigger: 'date', run_date: '2099-01-01T00:00:00Z' } });
    expect(created.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      await h.call('POST', '/scheduler/jobs/runs_job/trigger');
      await waitFor(async () => (await h.call('GET', '/scheduler/jobs/runs_job/runs?status=success')).body.total === i + 1);
    }
    const all = (await h.call('GET', '/scheduler/jobs/runs_job/runs')).body;
    expect([all.total, all.limit, all.offset, all.runs.length]).toEqual([3, 50, 0, 3]);
    const times = all.runs.map((r: { scheduled_at: string }) => Date.parse(r.scheduled_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const page = (await h.call('GET', '/scheduler/jobs/runs_job/runs?limit=1&offset=1')).body;
    expect([page.total, page.runs.length, page.runs[0].id]).toEqual([3, 1, all.runs[1].id]);
    expect((await h.call('GET', '/scheduler/jobs/runs_job/runs?status=error&status=timeout')).body.total).toBe(0);
    const from = all.runs[1].scheduled_at;
    expect((await h.call('GET', `/scheduler/jobs/runs_job/runs?from=${from}`)).body.total).toBe(2);
    expect((await h.call('GET', `/scheduler/jobs/runs_job/runs?to=${from}`)).body.total).toBe(1);
    const one = (await h.call('GET', `/scheduler/runs/${all.runs[0].id}`)).body;
    expect(one).toMatchObject({ id: all.runs[0].id, job_id: 'runs_job', status: 'success', kind: 'manual', attempt: 1, message: 'ok hello' });
    expect(Object.keys(one)).toContain('log_tail');
    expect(Object.keys(all.runs[0])).not.toContain('log_tail');
  });

  it('rejects bad run filters naming the parameter', async () => {
    for (const [query, field] of [
      ['status=exploded', 'querystring.status.0'],
      ['limit=0', 'querystring.limit'],
      ['limit=501', 'querystring.limit'],
      ['offset=-1', 'querystring.offset'],
      ['from=tuesday', 'querystring.from'],
      ['bogus=1', 'querystring.bogus'],
    ]) {
      const answer = await h.call('GET', `/scheduler/jobs/runs_job/runs?${query}`);
      expect([answer.status, answer.body.details[0].field], query).toEqual([400, field]);
    }
    expect((await h.call('GET', '/scheduler/jobs/never_existed/runs')).status).toBe(404);
  });
});
