import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKairos, type RunningKairos } from '../support/cli-process.js';
import { duplicatedExecutions, readExecutions, writeMarkModule } from '../support/execution-log.js';
import { createTestDatabase } from '../support/pg.js';
import { tempDir } from '../support/scheduler.js';

/**
 * PostgreSQL cutting every connection of the job store (what a restart does
 * to clients) while two instances fire jobs: they log, reconnect by
 * themselves and keep the invariants.
 */
const dir = tempDir('faults');
const JOBS = 20;
let url: string;
let admin: pg.Client;
let executions: string;
const nodes: RunningKairos[] = [];

beforeAll(async () => {
  url = await createTestDatabase('faults');
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  executions = writeMarkModule(dir);
  const jobs = Array.from({ length: JOBS }, (_, i) => `  - { id: job${i}, func: ./mark.mjs:run, trigger: cron, second: "*" }`);
  writeFileSync(join(dir, 'jobs.yaml'), `jobs:\n${jobs.join('\n')}\n`);
  const env = { KAIROS_JOB_STORE_URL: url, KAIROS_JOBS_FILE: join(dir, 'jobs.yaml'), KAIROS_LEASE_SECONDS: '4', KAIROS_SHUTDOWN_GRACE: '3' };
  for (let i = 0; i < 2; i++) nodes.push(await startKairos({ ...env, KAIROS_LOG_DIR: join(dir, `logs${i}`) }, dir));
}, 60_000);

afterAll(async () => {
  for (const node of nodes) node.child.kill('SIGTERM');
  await Promise.all(nodes.map((n) => n.exited));
  await admin.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('job store connections cut while jobs fire', () => {
  it('instances survive, reconnect and keep firing each (job, time) once', async () => {
    await sleep(3_000);
    for (let i = 0; i < 3; i++) {
      const { rows } = await admin.query(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(rows[0].n, nodes.map((n) => n.output().slice(-2000)).join('\n')).toBeGreaterThan(0);
      await sleep(2_000);
    }
    const lastCut = Date.now();
    await sleep(6_000);

    for (const node of nodes) expect(node.child.exitCode).toBeNull();
    const done = readExecutions(executions);
    expect(duplicatedExecutions(done)).toEqual([]);
    for (let i = 0; i < JOBS; i++) {
      expect(done.filter((e) => e.job === `job${i}` && e.scheduledAt > lastCut + 2_000).length).toBeGreaterThan(0);
    }
    const { rows: stuck } = await admin.query("SELECT count(*)::int AS n FROM kairos.runs WHERE status = 'running' AND started_at < $1", [Date.now() - 5_000]);
    expect(stuck[0].n).toBe(0);
    for (const node of nodes) expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    expect(nodes.map((n) => n.output()).join('\n')).toMatch(/reconnecting|failed; retrying/);
  }, 60_000);
});
