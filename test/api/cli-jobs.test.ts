import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAIROS_BIN } from '../support/cli-process.js';
import { startApi, TOKEN, type Harness } from './support.js';

/** Runs the built CLI (`npm run build` first; npm test does) as a user would. */
async function kairos(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [KAIROS_BIN, ...args], { env: { PATH: process.env['PATH'] ?? '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let h: Harness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => h.close());

describe('kairos jobs', () => {
  it('preview prints the next fire times of a job', async () => {
    const result = await kairos('jobs', 'preview', 'seed_ok', '--url', h.base, '--count', '3');
    expect(result.code).toBe(0);
    const { fire_times } = JSON.parse(result.stdout) as { fire_times: string[] };
    expect(fire_times).toHaveLength(3);
    expect(Date.parse(fire_times[1]!) - Date.parse(fire_times[0]!)).toBe(5000);
  });

  it('--token authenticates mutations; a wrong token fails with the 403 answer', async () => {
    const wrong = await kairos('jobs', 'pause', 'seed_ok', '--url', h.base, '--token', 'wrong-token-0000000000');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('403');
    expect((await h.scheduler.getJob('seed_ok'))!.job.paused).toBe(false);
    const paused = await kairos('jobs', 'pause', 'seed_ok', '--url', h.base, '--token', TOKEN);
    expect(JSON.parse(paused.stdout).paused).toBe(true);
    const resumed = await kairos('jobs', 'resume', 'seed_ok', '--url', h.base, '--token', TOKEN);
    expect(JSON.parse(resumed.stdout).paused).toBe(false);
  });

  it('runs lists a page of run history', async () => {
    const result = await kairos('jobs', 'runs', 'seed_ok', '--url', h.base, '--limit', '2');
    expect(JSON.parse(result.stdout)).toMatchObject({ limit: 2, offset: 0, runs: expect.any(Array) });
  });
});
