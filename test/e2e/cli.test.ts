import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { SqliteJobStore } from '../../src/scheduler/stores/sqlite/sqlite-store.js';
import { KAIROS_BIN, startKairos } from '../support/cli-process.js';
import { tempDir } from '../support/scheduler.js';

const run = promisify(execFile);
const TOKEN = 'e2e-token-0123456789abcdef';
const dir = tempDir('e2e');
const jobsFile = join(dir, 'jobs.yaml');
const env = {
  KAIROS_JOB_STORE_URL: `sqlite:${join(dir, 'kairos.db')}`,
  KAIROS_JOBS_FILE: jobsFile,
  KAIROS_LOG_DIR: join(dir, 'logs'),
  KAIROS_API_TOKEN: TOKEN,
  KAIROS_SHUTDOWN_GRACE: '5',
};
const hits: string[] = [];
let target: Server;
let targetUrl: string;

function jobsYaml(extra = ''): string {
  return `jobs:
  - id: ping
    func: http_request
    trigger: cron
    second: "*"
    kwargs: { url: "${targetUrl}/ping", timeout_seconds: 2 }
${extra}`;
}

beforeAll(async () => {
  target = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
  writeFileSync(jobsFile, jobsYaml());
});

afterAll(() => {
  target.close();
});

/** The parts of the API's answers this test reads. */
interface Json {
  readonly trigger?: string;
  readonly stats: { readonly total_success: number };
  readonly runs: readonly { readonly lateness_ms: number }[];
}

async function api(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function cli(url: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [KAIROS_BIN, ...args, '--url', url], { env: { ...process.env, KAIROS_API_TOKEN: TOKEN } });
  return JSON.parse(stdout);
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('kairos serve, end to end', () => {
  it('fires on time, is steered through the CLI and API, shuts down cleanly and keeps its history', async () => {
    const kairos = await startKairos(env, dir);
    // A failed assertion must not leave the server running after the suite.
    onTestFailed(() => void kairos.child.kill('SIGKILL'));
    const { url } = kairos;

    const ping = await waitFor(
      () => api(url, 'GET', '/scheduler/jobs/ping'),
      (r) => r.body.stats.total_success >= 2,
    );
    const lateness = (await api(url, 'GET', '/scheduler/jobs/ping/runs?status=success')).body.runs.map((r) => r.lateness_ms);
    // A smoke bound, not a measurement (bench/ measures lateness): the suite runs files in parallel
    // on two cores, where a fire's timer can wake a few hundred ms late; a stalled dispatcher is seconds late.
    expect(Math.max(...lateness)).toBeLessThan(500);
    expect(ping.body.trigger).toBe("cron[second='*']");

    const triggered = (await cli(url, 'jobs', 'trigger', 'ping', '--overrides', JSON.stringify({ url: `${targetUrl}/override` }))) as { scheduled_job_id: string };
    expect(triggered.scheduled_job_id).toMatch(/^ping__manual__\d+$/);
    await waitFor(async () => hits, (h) => h.includes('/override'));

    const paused = (await cli(url, 'jobs', 'pause', 'ping')) as { next_run_time: string | null };
    expect(paused.next_run_time).toBeNull();
    const pingsAtPause = hits.filter((h) => h === '/ping').length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(hits.filter((h) => h === '/ping').length).toBeLessThanOrEqual(pingsAtPause + 1);
    const resumed = (await cli(url, 'jobs', 'resume', 'ping')) as { next_run_time: string | null };
    expect(resumed.next_run_time).not.toBeNull();

    writeFileSync(jobsFile, jobsYaml(`  - id: nightly\n    func: http_request\n    trigger: cron\n    hour: 3\n    kwargs: { url: "${targetUrl}/nightly" }\n`));
    const reload = await api(url, 'POST', '/scheduler/reload');
    expect(reload).toEqual({ status: 202, body: { message: 'Jobs reloaded', added: ['nightly'], changed: [], removed: [] } });

    const listed = (await cli(url, 'jobs', 'list')) as { count: number };
    expect(listed.count).toBe(2);

    kairos.child.kill('SIGTERM');
    expect(await kairos.exited).toBe(0);
    expect(kairos.output()).toContain('"msg":"stopped"');

    const store = new SqliteJobStore(join(dir, 'kairos.db'));
    await store.migrate();
    const stats = (await store.jobStats(['ping'])).get('ping')!;
    expect(stats.totalSuccess).toBeGreaterThanOrEqual(2);
    expect((await store.listRuns({ statuses: ['running'], limit: 10, offset: 0 })).total).toBe(0);
    await store.close();

    const again = await startKairos(env, dir);
    onTestFailed(() => void again.child.kill('SIGKILL'));
    const after = await api(again.url, 'GET', '/scheduler/jobs/nightly');
    expect(after.status).toBe(200);
    expect((await api(again.url, 'GET', '/scheduler/jobs/ping')).body.stats.total_success).toBeGreaterThanOrEqual(stats.totalSuccess);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 60_000);
});
