import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/pg.js';
import { startKairos, type RunningKairos } from '../support/cli-process.js';
import { duplicatedExecutions, readExecutions, writeMarkModule } from '../support/execution-log.js';
import { tempDir } from '../support/scheduler.js';

/**
 * Three real `kairos serve` processes on one PostgreSQL job store. Every job
 * module appends one line per execution to a shared file, so "executed
 * exactly once" is checked outside the ledger that enforces it.
 */
const dir = tempDir('cluster');
let executions: string;
const FAST = 50;
const SLOW = 4;
let url: string;
let db: pg.Client;
const nodes: RunningKairos[] = [];

function jobsYaml(): string {
  const fast = Array.from({ length: FAST }, (_, i) => `  - { id: fast${String(i).padStart(2, '0')}, func: ./mark.mjs:run, trigger: cron, second: "*" }`);
  const slow = Array.from({ length: SLOW }, (_, i) => `  - { id: slow${i}, func: ./mark.mjs:slow, trigger: cron, second: "*/3" }`);
  return `jobs:\n${[...fast, ...slow].join('\n')}\n`;
}

beforeAll(async () => {
  url = await createTestDatabase('cluster');
  db = new pg.Client({ connectionString: url });
  await db.connect();
  executions = writeMarkModule(dir);
  writeFileSync(join(dir, 'jobs.yaml'), jobsYaml());
  const env = {
    KAIROS_JOB_STORE_URL: url,
    KAIROS_JOBS_FILE: join(dir, 'jobs.yaml'),
    KAIROS_LEASE_SECONDS: '3',
    KAIROS_API_TOKEN: 'cluster-token-0123456789',
    KAIROS_SHUTDOWN_GRACE: '3',
  };
  for (let i = 0; i < 3; i++) nodes.push(await startKairos({ ...env, KAIROS_LOG_DIR: join(dir, `logs${i}`) }, dir));
}, 60_000);

afterAll(async () => {
  for (const node of nodes) node.child.kill('SIGTERM');
  await Promise.all(nodes.map((n) => n.exited));
  await db.end();
});

async function post(node: RunningKairos, path: string): Promise<number> {
  const response = await fetch(node.url + path, { method: 'POST', headers: { authorization: 'Bearer cluster-token-0123456789' } });
  await response.arrayBuffer();
  return response.status;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a cluster of three instances on one PostgreSQL', () => {
  it('fires each (job, time) exactly once, survives a SIGKILL, and propagates pause and trigger', async () => {
    // Instance A's WebSocket must stream the events of runs executed anywhere in the cluster.
    const successesSeenByA = new Set<string>();
    const ws = new WebSocket(`${nodes[0]!.url.replace('http', 'ws')}/ws/scheduler`);
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; event?: string; job_id?: string; scheduled_at?: string };
      if (message.type === 'event' && message.event === 'success') successesSeenByA.add(`${message.job_id} ${message.scheduled_at}`);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const wsOpenedAt = Date.now();
    await sleep(8_000);

    // Pause through A: B and C stop firing it within about a second.
    expect(await post(nodes[0]!, '/scheduler/jobs/fast10/pause')).toBe(202);
    const pausedAt = Date.now();
    // Trigger through B: runs once, somewhere in the cluster.
    expect(await post(nodes[1]!, '/scheduler/jobs/fast20/trigger')).toBe(202);

    // Kill C while it owns in-flight slow runs.
    const victim = nodes[2]!;
    const victimId = (await (await fetch(`${victim.url}/scheduler/status`)).json()) as { instance_id: string };
    const deadline = Date.now() + 30_000;
    let inFlight = 0;
    while (inFlight === 0 && Date.now() < deadline) {
      const { rows } = await db.query("SELECT count(*)::int AS n FROM kairos.runs WHERE status = 'running' AND instance_id = $1 AND job_id LIKE 'slow%'", [victimId.instance_id]);
      inFlight = rows[0].n;
      if (!inFlight) await sleep(50);
    }
    expect(inFlight, 'the victim never owned a running slow run').toBeGreaterThan(0);
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const killedAt = Date.now();
    await sleep(12_000);

    // Exactly once: no (job, scheduled time, attempt) executed twice, by any process.
    const done = readExecutions(executions);
    expect(duplicatedExecutions(done)).toEqual([]);
    expect(done.length).toBeGreaterThan(FAST * 15);
    expect(new Set(done.map((e) => e.pid)).size).toBe(3);
    ws.close();
    const executedByB = done.filter((e) => e.pid === nodes[1]!.child.pid && e.scheduledAt > wsOpenedAt + 1_000 && e.scheduledAt < Date.now() - 2_000);
    const relayed = executedByB.filter((e) => successesSeenByA.has(`${e.job} ${new Date(e.scheduledAt).toISOString().replace('.000Z', 'Z')}`));
    expect(executedByB.length).toBeGreaterThan(50);
    expect(relayed.length).toBeGreaterThan(executedByB.length * 0.9);

    // No gaps: every fast job has a ledger row for every second of the window, kill included.
    const { rows: gaps } = await db.query(
      `SELECT job_id, scheduled_at, scheduled_at - lag(scheduled_at) OVER (PARTITION BY job_id ORDER BY scheduled_at) AS step
       FROM kairos.runs WHERE job_id LIKE 'fast%' AND job_id <> 'fast10' AND kind = 'schedule'`,
    );
    const steps = gaps.filter((r) => r.step !== null && Number(r.step) !== 1000);
    expect(steps).toEqual([]);

    // The killed instance's in-flight runs became abandoned within the lease bound, none left running.
    const { rows: abandoned } = await db.query("SELECT finished_at FROM kairos.runs WHERE instance_id = $1 AND status = 'abandoned'", [victimId.instance_id]);
    expect(abandoned.length).toBeGreaterThan(0);
    // Lease 3 s, plus heartbeat period and scheduling slack on a loaded 2-core machine.
    for (const row of abandoned) expect(Number(row.finished_at) - killedAt).toBeLessThan(3_000 + 5_000);
    const { rows: stuck } = await db.query("SELECT count(*)::int AS n FROM kairos.runs WHERE status = 'running' AND instance_id = $1", [victimId.instance_id]);
    expect(stuck[0].n).toBe(0);

    // Pause propagated: nothing of fast10 started more than a second after the pause.
    const { rows: afterPause } = await db.query("SELECT count(*)::int AS n FROM kairos.runs WHERE job_id = 'fast10' AND started_at > $1", [pausedAt + 1_000]);
    expect(afterPause[0].n).toBe(0);

    // The manual trigger ran exactly once.
    const { rows: manual } = await db.query("SELECT scheduled_at FROM kairos.runs WHERE job_id = 'fast20' AND kind = 'manual'");
    expect(manual).toHaveLength(1);
    expect(done.filter((e) => e.job === 'fast20' && e.scheduledAt === Number(manual[0].scheduled_at))).toHaveLength(1);
  }, 90_000);
});
