import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKairos, type RunningKairos } from '../support/cli-process.js';
import { DiscordTestServer } from '../support/discord-server.js';
import { tempDir } from '../support/scheduler.js';

/**
 * Discord and logs, end to end: a failing job produces one post with its
 * error (delayed, not lost, by a webhook outage), a run record with its log
 * tail, and lines in the per-job, application and error logs; a job with no
 * success for too long raises a freshness alert and later a recovery.
 */
const dir = tempDir('notify-e2e');
let discord: DiscordTestServer;
let kairos: RunningKairos;
let processHook: { id: string; token: string; url: string };
let alertHook: { id: string; token: string; url: string };

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  discord = await DiscordTestServer.start();
  processHook = discord.createWebhook();
  alertHook = discord.createWebhook();
  // The webhook is down for the first requests: posts must wait, not vanish.
  discord.enqueue(...Array.from({ length: 8 }, () => ({ kind: 'server-error' as const })));
  writeFileSync(
    join(dir, 'jobs.mjs'),
    `export async function boom(ctx) { ctx.logger.info('about to fail'); throw new Error('exchange exploded'); }
export async function fine() { return { message: 'ok' }; }
`,
  );
  const runDate = new Date(Date.now() + 3_000).toISOString();
  writeFileSync(
    join(dir, 'jobs.yaml'),
    `jobs:
  - { id: boom, func: ./jobs.mjs:boom, trigger: date, run_date: "${runDate}" }
  - { id: watched, func: ./jobs.mjs:fine, trigger: cron, hour: 3, alert_if_no_success_within: 2s }
`,
  );
  kairos = await startKairos(
    {
      KAIROS_JOBS_FILE: join(dir, 'jobs.yaml'),
      KAIROS_JOB_STORE_URL: `sqlite:${join(dir, 'kairos.db')}`,
      KAIROS_WAREHOUSE_URL: `sqlite:${join(dir, 'warehouse')}`,
      KAIROS_LOG_DIR: join(dir, 'logs'),
      KAIROS_DEMO_SEED: 'never',
      ETL_PROCESS_WEBHOOK: processHook.url,
      ETL_TOTAL_USD_VALUE_ALERT: alertHook.url,
    },
    dir,
  );
}, 30_000);

afterAll(async () => {
  kairos.child.kill('SIGTERM');
  await kairos.exited;
  await discord.close();
});

const processPosts = () => discord.posts.filter((p) => p.webhookId === processHook.id).map((p) => p.content);

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out; process posts: ${JSON.stringify(processPosts())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a failing job, Discord and the logs', () => {
  it('posts the error once (after the outage), keeps the log tail, and writes every log', async () => {
    await until(() => processPosts().some((p) => p.includes('exchange exploded')));
    expect(processPosts().filter((p) => p.includes('exchange exploded'))).toHaveLength(1);
    expect(discord.requestCount).toBeGreaterThan(discord.posts.length);

    const runs = (await (await fetch(`${kairos.url}/scheduler/jobs/boom/runs`)).json()) as { runs: { id: string; status: string; duration_ms: number }[] };
    expect(runs.runs[0]!.status).toBe('error');
    expect(runs.runs[0]!.duration_ms).toBeLessThan(1_000);
    const run = (await (await fetch(`${kairos.url}/scheduler/runs/${runs.runs[0]!.id}`)).json()) as { error: string; log_tail: string[] };
    expect(run.error).toBe('Error: exchange exploded');
    expect(run.log_tail.join('\n')).toContain('about to fail');
    expect(run.log_tail.join('\n')).toContain('exchange exploded');

    await until(() => filesUnder(join(dir, 'logs')).some((f) => f.includes('/error/') && readFileSync(f, 'utf8').includes('exchange exploded')));
    const files = filesUnder(join(dir, 'logs'));
    const containing = (kind: string) => files.filter((f) => f.includes(`/${kind}/`) && readFileSync(f, 'utf8').includes('exchange exploded'));
    expect(containing('jobs')).not.toHaveLength(0);
    expect(containing('app')).not.toHaveLength(0);
    expect(containing('error')).not.toHaveLength(0);
    expect(files.filter((f) => f.includes('/error/')).every((f) => !readFileSync(f, 'utf8').includes('about to fail'))).toBe(true);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text).not.toContain(processHook.token);
      expect(text).not.toContain(alertHook.token);
    }
    expect(kairos.output()).not.toContain(processHook.token);
  }, 40_000);

  it('alerts when a job has had no success for too long, then reports the recovery', async () => {
    await until(() => processPosts().some((p) => p.includes('Job watched has had no successful run')));
    const trigger = await fetch(`${kairos.url}/scheduler/jobs/watched/trigger`, { method: 'POST' });
    expect(trigger.status).toBe(202);
    await until(() => processPosts().some((p) => p.includes('Job watched recovered')));
    expect(processPosts().filter((p) => p.includes('Job watched has had no successful run'))).toHaveLength(1);
    const status = (await (await fetch(`${kairos.url}/notify/status`)).json()) as { channels: { channel: string; sent: number; dropped: number }[] };
    expect(status.channels.find((c) => c.channel === 'process')).toMatchObject({ dropped: 0 });
  }, 40_000);
});
