import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { z } from 'zod';
import { buildApi, type Api, type ApiDeps } from '../../src/api/server.js';
import { httpRequestJob } from '../../src/jobs/http-request.js';
import { loadJobsFile } from '../../src/jobs-file/load-jobs-file.js';
import { createLogging } from '../../src/observability/logging/create-logging.js';
import { defineJobType } from '../../src/scheduler/job-type.js';
import { JobTypeRegistry } from '../../src/scheduler/job-type-registry.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { SqliteJobStore } from '../../src/scheduler/stores/sqlite/sqlite-store.js';
import { tempDir } from '../support/scheduler.js';

export const TOKEN = 'kairos-test-token-4f9c2a7e1b3d5f60';

/**
 * Real-looking secrets placed where a careless API would echo them: an env
 * var, a job's kwargs and headers, a run's error message. Every response body
 * and WebSocket message of the suite is checked for them on close.
 */
export const SECRETS = {
  webhookToken: 'Zx9QwErTy-UiOp1234AsDfGhJkL_5678ZxCvBnM-qwertyuiopASDFGHJKL',
  headerToken: 'sk_live_51HxYzABCdefGhIJklMNopQRstuVWxyz0123456789',
  dbPassword: 'pg-Pa55w0rd-9f8e7d6c',
};
export const WEBHOOK_URL = `https://discord.com/api/webhooks/123456789012345678/${SECRETS.webhookToken}`;
export const DB_URL = `postgres://etl:${SECRETS.dbPassword}@db.internal:5432/warehouse`;
process.env['KAIROS_TEST_WEBHOOK'] = WEBHOOK_URL;
process.env['KAIROS_TEST_DB_URL'] = DB_URL;

export const greet = defineJobType({
  name: 'greet',
  description: 'says hello',
  kwargs: z.object({ greeting: z.string().default('hello'), symbol: z.string().optional(), dry_run: z.boolean().optional() }),
  async run(_ctx, kwargs) {
    return { message: `ok ${kwargs.greeting}${kwargs.symbol ? ` ${kwargs.symbol}` : ''}` };
  },
});

/** Fails with the database URL in its message, as a driver error would. */
export const leaky = defineJobType({
  name: 'leaky',
  description: 'fails quoting its connection string',
  kwargs: z.object({ dsn: z.string(), note: z.string().optional() }),
  async run(_ctx, kwargs) {
    throw new Error(`connect ECONNREFUSED ${kwargs.note ?? ''} ${process.env['KAIROS_TEST_DB_URL']}`);
  },
});

export const JOB_TYPES = [greet, leaky, httpRequestJob];

export const SEED_JOBS = `jobs:
  - id: seed_ok
    func: greet
    trigger: cron
    second: "*/5"
    kwargs: { greeting: hello }
  - id: seed_date
    func: greet
    trigger: date
    run_date: "2099-01-01T00:00:00Z"
  - id: notify_hook
    func: http_request
    trigger: date
    run_date: "2099-01-01T00:00:00Z"
    kwargs:
      url: "\${KAIROS_TEST_WEBHOOK}"
      method: POST
      headers: { Authorization: "Bearer ${SECRETS.headerToken}" }
  - id: leaky_job
    func: leaky
    trigger: date
    run_date: "2099-01-01T00:00:00Z"
    kwargs: { dsn: "\${KAIROS_TEST_DB_URL}", note: "see ${DB_URL}" }
`;

export interface Answer {
  readonly status: number;
  /** The parsed JSON answer; tests navigate it freely. */
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

export interface Harness {
  readonly api: Api;
  readonly scheduler: Scheduler;
  readonly base: string;
  readonly dir: string;
  readonly jobsFile: string;
  /** Rewrites jobs.yaml: the seed jobs plus `extra` entries. */
  writeJobs(extra?: string): void;
  call(method: string, path: string, options?: { body?: unknown; raw?: string; token?: string | null }): Promise<Answer>;
  /** Records text the suite received elsewhere (WebSocket messages) for the secret check. */
  record(text: string): void;
  /** Closes everything and checks no recorded text carried a secret. */
  close(): Promise<void>;
}

export async function startApi(options: Partial<Pick<ApiDeps, 'auth' | 'bodyLimit' | 'wsLimits' | 'wsHeartbeatMs' | 'notifyStatus' | 'diskPath'>> = {}): Promise<Harness> {
  const dir = tempDir('api');
  const jobsFile = join(dir, 'jobs.yaml');
  const writeJobs = (extra = ''): void => writeFileSync(jobsFile, SEED_JOBS + extra);
  writeJobs();
  const store = new SqliteJobStore(join(dir, 'kairos.db'));
  await store.migrate();
  const registry = new JobTypeRegistry();
  for (const type of JOB_TYPES) registry.register(type);
  const logging = createLogging({ dir: null, console: 'off' });
  const scheduler = new Scheduler({ store, resolveJobType: (f) => registry.get(f), logger: logging.logger, runLogger: (b) => logging.forRun(b) });
  const reload = async () => scheduler.reconcile(await loadJobsFile(jobsFile, registry, (d) => scheduler.validateDefinition(d)));
  await reload();
  const api = await buildApi({
    scheduler,
    reload,
    auth: { tokens: [TOKEN], authReads: false },
    logger: logging.logger,
    version: 'test',
    jobTypes: () => registry.all(),
    bodyLimit: 4096,
    ...options,
  });
  await scheduler.start();
  const base = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const received: string[] = [];

  return {
    api,
    scheduler,
    base,
    dir,
    jobsFile,
    writeJobs,
    record: (text) => void received.push(text),
    async call(method, path, { body, raw, token = TOKEN } = {}) {
      const hasBody = body !== undefined || raw !== undefined;
      const response = await fetch(base + path, {
        method,
        redirect: 'manual',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      received.push(text, JSON.stringify([...response.headers]));
      const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : null;
      return { status: response.status, body: json, text, headers: response.headers };
    },
    async close() {
      api.events.closeAll();
      await scheduler.stop(1000);
      await api.app.close();
      await store.close();
      const leaks = received.filter((text) => Object.values(SECRETS).some((secret) => text.includes(secret)));
      expect(leaks, 'responses carrying a secret').toEqual([]);
    },
  };
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
