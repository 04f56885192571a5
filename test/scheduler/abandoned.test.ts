import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../../src/scheduler/stores/sqlite/sqlite-store.js';
import { startKairos } from '../support/cli-process.js';
import { ManualClock, tempDir, testScheduler } from '../support/scheduler.js';

describe('a process killed mid-run', () => {
  it('leaves its run abandoned (not running forever) and the retry policy applies', async () => {
    const dir = tempDir('abandoned');
    const marker = join(dir, 'started');
    writeFileSync(
      join(dir, 'slow.mjs'),
      `import { writeFileSync } from 'node:fs';
export async function run(ctx) {
  writeFileSync(${JSON.stringify(marker)}, ctx.runId);
  await new Promise((resolve) => setTimeout(resolve, 600_000));
}
`,
    );
    writeFileSync(join(dir, 'jobs.yaml'), 'jobs:\n  - id: slow\n    func: ./slow.mjs:run\n    trigger: cron\n    second: "*"\n    retries: { max: 1, backoff: 1 }\n');
    const kairos = await startKairos(
      { KAIROS_JOB_STORE_URL: `sqlite:${join(dir, 'kairos.db')}`, KAIROS_JOBS_FILE: join(dir, 'jobs.yaml'), KAIROS_LOG_DIR: join(dir, 'logs') },
      dir,
    );
    const deadline = Date.now() + 10_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(marker)).toBe(true);
    kairos.child.kill('SIGKILL');
    expect(await kairos.exited).toBe('SIGKILL');

    const store = new SqliteJobStore(join(dir, 'kairos.db'));
    await store.migrate();
    const running = await store.listRuns({ jobId: 'slow', statuses: ['running'], limit: 10, offset: 0 });
    expect(running.total).toBe(1);
    const scheduler = testScheduler(store, new ManualClock(Date.now()), []);
    await scheduler.start();
    await scheduler.stop(0);
    const abandoned = await store.listRuns({ jobId: 'slow', statuses: ['abandoned'], limit: 10, offset: 0 });
    expect(abandoned.runs.map((r) => r.error)).toEqual(['abandoned: its process is gone']);
    expect((await store.listRuns({ jobId: 'slow', statuses: ['running'], limit: 10, offset: 0 })).total).toBe(0);
    // Later fires may have come due meanwhile (and failed here: this scheduler has no job types); the abandoned fire has its one retry.
    const retry = await store.listRuns({ jobId: 'slow', statuses: ['pending'], limit: 10, offset: 0 });
    const ofAbandoned = retry.runs.filter((r) => r.scheduledAt.getTime() === abandoned.runs[0]!.scheduledAt.getTime());
    expect(ofAbandoned.map((r) => [r.kind, r.attempt])).toEqual([['retry', 2]]);
    expect((await store.jobStats(['slow'])).get('slow')!.lastEvent).toBe('abandoned');
    await store.close();
  });
});
