import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobListCache } from '../../src/api/job-list-cache.js';
import { startApi, type Harness } from './support.js';

describe('job list cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => h.close());

  it('reads once while nothing changes, again after a change, never keeping a read a change overtook', async () => {
    const cache = createJobListCache(h.scheduler, 60_000);
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(b).toBe(a);
    expect(await cache.get()).toBe(a);
    expect(a.find((j) => j.id === 'seed_ok')!.next_run_time).not.toBeNull();

    // The pause lands while a read is under way: that read may predate it, so it is not served again.
    const overtaken = cache.get();
    await h.scheduler.pauseJob('seed_ok');
    await overtaken;
    const after = await cache.get();
    expect(after).not.toBe(await overtaken);
    expect(after.find((j) => j.id === 'seed_ok')!.next_run_time).toBeNull();
    expect(await cache.get()).toBe(after);

    await h.scheduler.resumeJob('seed_ok');
    expect((await cache.get()).find((j) => j.id === 'seed_ok')!.next_run_time).not.toBeNull();
    cache.close();
  });

  it('expires after its maximum age even without an event', async () => {
    const cache = createJobListCache(h.scheduler, 30);
    const first = await cache.get();
    await new Promise((r) => setTimeout(r, 50));
    expect(await cache.get()).not.toBe(first);
    cache.close();
  });

  it('serves GET /scheduler/jobs from it, changes included', async () => {
    const before = await h.call('GET', '/scheduler/jobs');
    expect(before.status).toBe(200);
    expect(before.body.jobs.find((j: { id: string }) => j.id === 'seed_ok').next_run_time).not.toBeNull();
    expect((await h.call('POST', '/scheduler/jobs/seed_ok/pause')).status).toBe(202);
    const after = await h.call('GET', '/scheduler/jobs');
    expect(after.body.jobs.find((j: { id: string }) => j.id === 'seed_ok').next_run_time).toBeNull();
    expect(after.body.count).toBe(before.body.count);
    expect((await h.call('POST', '/scheduler/jobs/seed_ok/resume')).status).toBe(202);
  });
});
