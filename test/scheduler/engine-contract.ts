import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseDefinition } from '../../src/scheduler/definition-input.js';
import { StaleDeployError } from '../../src/scheduler/deploy-stamp.js';
import { defineJobType, type JobContext } from '../../src/scheduler/job-type.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import type { JobStore } from '../../src/scheduler/store.js';
import type { JobDefinition } from '../../src/scheduler/types.js';
import { ManualClock, testScheduler } from '../support/scheduler.js';

interface Call {
  readonly jobId: string;
  readonly scheduledAt: string;
  readonly attempt: number;
  readonly kwargs: Record<string, unknown>;
  readonly key: string;
}

const calls: Call[] = [];
/** Order of what the `stepped` job does: its start, then its step after one await. */
const steps: string[] = [];
const gates = new Map<string, () => void>();
const failuresLeft = new Map<string, number>();

const record = (ctx: JobContext, kwargs: Record<string, unknown>): void => {
  calls.push({ jobId: ctx.jobId, scheduledAt: ctx.scheduledAt.toISOString(), attempt: ctx.attempt, kwargs, key: ctx.idempotencyKey });
};

const types = [
  defineJobType({
    name: 'record',
    description: 'records its call',
    kwargs: z.object({ tag: z.string().default('x'), n: z.number().optional() }),
    async run(ctx, kwargs) {
      record(ctx, kwargs);
      return { message: `ok ${kwargs.tag}` };
    },
  }),
  defineJobType({
    name: 'flaky',
    description: 'fails a set number of times, then succeeds',
    kwargs: z.object({}),
    async run(ctx, kwargs) {
      record(ctx, kwargs);
      const left = failuresLeft.get(ctx.jobId) ?? 0;
      if (left > 0) {
        failuresLeft.set(ctx.jobId, left - 1);
        throw new Error(`boom ${ctx.attempt}`);
      }
    },
  }),
  defineJobType({
    name: 'stepped',
    description: 'notes its start and, a microtask later, its next step',
    kwargs: z.object({}),
    async run(ctx) {
      steps.push(`start ${ctx.jobId}`);
      await Promise.resolve();
      steps.push(`step ${ctx.jobId}`);
    },
  }),
  defineJobType({
    name: 'gated',
    description: 'runs until released or aborted',
    kwargs: z.object({}),
    async run(ctx, kwargs) {
      record(ctx, kwargs);
      await new Promise<void>((resolve, reject) => {
        gates.set(ctx.runId, resolve);
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
      });
    },
  }),
];

function def(entry: Record<string, unknown>): JobDefinition {
  const parsed = parseDefinition(entry, 'api');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.definition;
}

/**
 * The engine's behaviour over a job store: every store adapter runs this same
 * suite (test/scheduler/engine.<store>.test.ts).
 * `openStore` gives a fresh, migrated store; `reopenStore` a second handle on the same data.
 */
export function engineContract(openStore: () => Promise<JobStore>, reopenStore: (store: JobStore) => Promise<JobStore>): void {
  const T0 = Date.parse('2026-03-01T00:00:00Z');

  let store: JobStore;
  let clock: ManualClock;
  let scheduler: Scheduler;

  beforeEach(async () => {
    calls.length = 0;
    steps.length = 0;
    gates.clear();
    failuresLeft.clear();
    store = await openStore();
    clock = new ManualClock(T0);
    scheduler = testScheduler(store, clock, types);
  });

  afterEach(async () => {
    for (const release of gates.values()) release();
    await scheduler.idle();
    await store.close();
  });

  async function tick(at: number): Promise<void> {
    clock.set(at);
    await scheduler.runDue(at);
    await settle();
  }

  /** Lets started runs finish (they are async) without advancing the manual clock. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
    }
    // Bounded: some tests leave a run hanging on purpose. Generous: a loaded machine may take a while to commit.
    await Promise.race([scheduler.idle(), new Promise((r) => setTimeout(r, 1000))]);
  }

  describe('dispatching', () => {
    it('fires a cron job at its fire times, once each, with the logical time and idempotency key', async () => {
      await scheduler.addJob(def({ id: 'tick', func: 'record', trigger: 'cron', second: '*/10' }));
      expect((await scheduler.getJob('tick'))!.job.nextRunTime?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
      await tick(T0 + 3);
      await tick(T0 + 5_000);
      await tick(T0 + 10_002);
      await tick(T0 + 10_002);
      expect(calls.map((c) => c.scheduledAt)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-01T00:00:10.000Z']);
      expect(calls[1]!.key).toBe('tick@2026-03-01T00:00:10.000Z');
      const view = (await scheduler.getJob('tick'))!;
      expect(view.stats.totalRuns).toBe(2);
      expect(view.stats.totalSuccess).toBe(2);
      expect(view.history.map((e) => e.event)).toEqual(['submitted', 'success', 'submitted', 'success']);
      expect(view.history[1]!.message).toBe('ok x');
    });

    it('claims a fire ahead of its time and starts it at that time, recording the actual start', async () => {
      const ahead = testScheduler(store, clock, types, 'ahead-instance', 100);
      await ahead.addJob(def({ id: 'soon', func: 'record', trigger: 'date', run_date: new Date(T0 + 10_000).toISOString() }));
      clock.set(T0 + 9_940);
      await ahead.runDue(T0 + 9_940);
      const claimed = (await ahead.listRuns({ jobId: 'soon', limit: 5, offset: 0 })).runs;
      expect(claimed.map((r) => [r.status, r.startedAt?.getTime()])).toEqual([['running', T0 + 10_000]]);
      expect(calls).toHaveLength(0);
      // The start waits out the 60 ms the manual clock says remain; the clock then reads just past the fire time.
      setTimeout(() => clock.set(T0 + 10_003), 30);
      await ahead.idle();
      expect(calls.map((c) => c.scheduledAt)).toEqual(['2026-03-01T00:00:10.000Z']);
      const [run] = (await ahead.listRuns({ jobId: 'soon', limit: 5, offset: 0 })).runs;
      expect([run!.status, run!.startedAt?.getTime()]).toEqual(['success', T0 + 10_003]);
    });

    it('starts runs due at one moment together, even when several claims took them', async () => {
      const ahead = testScheduler(store, clock, types, 'ahead-instance', 100, 4);
      const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
      for (const id of ids) await ahead.addJob(def({ id, func: 'stepped', trigger: 'date', run_date: new Date(T0 + 10_000).toISOString() }));
      clock.set(T0 + 9_950);
      // Three claims of at most 4 (the dispatcher loops while `more`); none starts before its time.
      for (let more = true; more; ) more = (await ahead.runDue(T0 + 9_950)).more;
      expect(steps).toEqual([]);
      setTimeout(() => clock.set(T0 + 10_001), 20);
      await ahead.idle();
      // Every run started before any got past its first await: no claim's runs waited for another's.
      expect(steps.slice(0, 10).sort()).toEqual(ids.map((id) => `start ${id}`).sort());
      expect(steps.slice(10).sort()).toEqual(ids.map((id) => `step ${id}`).sort());
    });

    it('coalesces fire times missed during downtime into one run and records the rest', async () => {
      await scheduler.addJob(def({ id: 'c', func: 'record', trigger: 'cron', second: '*/10' }));
      await tick(T0 + 45_000);
      expect(calls.map((c) => c.scheduledAt)).toEqual(['2026-03-01T00:00:40.000Z']);
      const { runs } = await scheduler.listRuns({ jobId: 'c', limit: 50, offset: 0 });
      expect(runs.map((r) => [r.scheduledAt.toISOString().slice(14, 19), r.status]).reverse()).toEqual([
        ['00:00', 'coalesced'],
        ['00:10', 'coalesced'],
        ['00:20', 'coalesced'],
        ['00:30', 'coalesced'],
        ['00:40', 'success'],
      ]);
      expect((await scheduler.getJob('c'))!.job.nextRunTime?.toISOString()).toBe('2026-03-01T00:00:50.000Z');
    });

    it('runs every missed fire with coalesce false, and marks those past misfire_grace_time missed', async () => {
      await scheduler.addJob(def({ id: 'a', func: 'record', trigger: 'cron', second: '*/10', coalesce: false, misfire_grace_time: 25 }));
      await tick(T0 + 45_000);
      await tick(T0 + 45_001);
      await tick(T0 + 45_002);
      expect(calls.map((c) => c.scheduledAt.slice(14, 19))).toEqual(['00:20', '00:30', '00:40']);
      const stats = (await scheduler.getJob('a'))!.stats;
      expect(stats.totalMissed).toBe(2);
    });

    it('catch_up N runs at most the latest N within the grace window', async () => {
      await scheduler.addJob(def({ id: 'n', func: 'record', trigger: 'interval', seconds: 10, start_date: '2026-03-01T00:00:00Z', catch_up: 2, misfire_grace_time: null }));
      await tick(T0 + 60_000);
      await tick(T0 + 60_001);
      expect(calls.map((c) => c.scheduledAt.slice(14, 19))).toEqual(['00:50', '01:00']);
    });

    it('records a late single fire as missed (APScheduler misfire) and moves on', async () => {
      await scheduler.addJob(def({ id: 'm', func: 'record', trigger: 'cron', minute: '*/5', misfire_grace_time: 30 }));
      await tick(T0 + 31_000);
      expect(calls).toHaveLength(0);
      const view = (await scheduler.getJob('m'))!;
      expect(view.stats.totalMissed).toBe(1);
      expect(view.history.at(-1)!.event).toBe('missed');
      expect(view.job.nextRunTime?.toISOString()).toBe('2026-03-01T00:05:00.000Z');
    });

    it('skips a fire while max_instances runs are in flight, and records why', async () => {
      await scheduler.addJob(def({ id: 'g', func: 'gated', trigger: 'cron', second: '*/10' }));
      await tick(T0);
      await tick(T0 + 10_000);
      expect(calls).toHaveLength(1);
      const { runs } = await scheduler.listRuns({ jobId: 'g', statuses: ['skipped'], limit: 10, offset: 0 });
      expect(runs).toHaveLength(1);
      expect(runs[0]!.message).toContain('max_instances (1) reached');
    });

    it('queues a fire behind a running one with overlap queue', async () => {
      await scheduler.addJob(def({ id: 'q', func: 'gated', trigger: 'cron', second: '*/10', overlap: 'queue' }));
      await tick(T0);
      await tick(T0 + 10_000);
      expect(calls).toHaveLength(1);
      for (const release of gates.values()) release();
      gates.clear();
      await settle();
      await tick(T0 + 11_000);
      expect(calls.map((c) => c.scheduledAt.slice(14, 19))).toEqual(['00:00', '00:10']);
    });

    it('aborts the running run with overlap replace', async () => {
      await scheduler.addJob(def({ id: 'r', func: 'gated', trigger: 'cron', second: '*/10', overlap: 'replace' }));
      await tick(T0);
      await tick(T0 + 10_000);
      const { runs } = await scheduler.listRuns({ jobId: 'r', limit: 10, offset: 0 });
      expect(runs.map((r) => r.status).sort()).toEqual(['cancelled', 'running']);
    });
  });

  describe('timeouts and retries', () => {
    it('aborts a run past its timeout and records timeout', async () => {
      await scheduler.addJob(def({ id: 't', func: 'gated', trigger: 'date', run_date: '2026-03-01T00:00:00Z', timeout: 0.05 }));
      await tick(T0);
      await new Promise((r) => setTimeout(r, 120));
      await settle();
      const { runs } = await scheduler.listRuns({ jobId: 't', limit: 10, offset: 0 });
      expect(runs[0]!.status).toBe('timeout');
      expect(runs[0]!.error).toBe('timed out after 0.05s');
    });

    it('retries a failing run with exponential backoff, same fire time, next attempt', async () => {
      failuresLeft.set('f', 2);
      await scheduler.addJob(def({ id: 'f', func: 'flaky', trigger: 'date', run_date: '2026-03-01T00:00:00Z', retries: { max: 3, backoff: 10 } }));
      await tick(T0);
      await tick(T0 + 9_000);
      expect(calls).toHaveLength(1);
      await tick(T0 + 10_000);
      await tick(T0 + 29_000);
      expect(calls).toHaveLength(2);
      await tick(T0 + 30_000);
      expect(calls.map((c) => [c.attempt, c.scheduledAt])).toEqual([
        [1, '2026-03-01T00:00:00.000Z'],
        [2, '2026-03-01T00:00:00.000Z'],
        [3, '2026-03-01T00:00:00.000Z'],
      ]);
      const stats = (await scheduler.getJob('f'))!.stats;
      expect([stats.totalError, stats.totalSuccess, stats.lastEvent]).toEqual([2, 1, 'success']);
    });
  });

  describe('depends_on', () => {
    it('runs a child once each time all its parents have succeeded', async () => {
      await scheduler.addJob(def({ id: 'p1', func: 'record', trigger: 'cron', second: '0' }));
      await scheduler.addJob(def({ id: 'p2', func: 'record', trigger: 'cron', second: '0', minute: '*/2' }));
      await scheduler.addJob(def({ id: 'child', func: 'record', depends_on: ['p1', 'p2'] }));
      expect((await scheduler.getJob('child'))!.job.nextRunTime).toBeNull();
      await tick(T0);
      await tick(T0 + 1);
      expect(calls.filter((c) => c.jobId === 'child')).toHaveLength(1);
      await tick(T0 + 60_000);
      await tick(T0 + 60_001);
      expect(calls.filter((c) => c.jobId === 'child')).toHaveLength(1);
      await tick(T0 + 120_000);
      await tick(T0 + 120_001);
      expect(calls.filter((c) => c.jobId === 'child')).toHaveLength(2);
    });
  });

  describe('control', () => {
    it('pause reports next_run_time null and stops fires; resume computes the next time from now', async () => {
      await scheduler.addJob(def({ id: 'p', func: 'record', trigger: 'cron', second: '*/10' }));
      const paused = await scheduler.pauseJob('p');
      expect(paused.job.nextRunTime).toBeNull();
      await tick(T0 + 35_000);
      expect(calls).toHaveLength(0);
      const resumed = await scheduler.resumeJob('p');
      expect(resumed.job.nextRunTime?.toISOString()).toBe('2026-03-01T00:00:40.000Z');
    });

    it('lists only the jobs with a freshness limit for the freshness monitor', async () => {
      await scheduler.addJob(def({ id: 'plain', func: 'record', trigger: 'interval', seconds: 10 }));
      await scheduler.addJob(def({ id: 'watched', func: 'record', trigger: 'interval', seconds: 10, alert_if_no_success_within: '5m' }));
      const watched = await scheduler.listWatchedJobs();
      expect(watched.map((j) => [j.id, j.options.alertIfNoSuccessWithin])).toEqual([['watched', 300]]);
    });

    it('manual trigger without overrides runs the job itself and keeps a date job', async () => {
      await scheduler.addJob(def({ id: 'd', func: 'record', trigger: 'date', run_date: '2099-01-01T00:00:00Z' }));
      const result = await scheduler.triggerJob('d', null);
      expect(result.scheduledJobId).toBe('d');
      await tick(T0 + 1);
      expect(calls).toHaveLength(1);
      expect((await scheduler.getJob('d'))!.job.nextRunTime?.toISOString()).toBe('2099-01-01T00:00:00.000Z');
    });

    it('a manual trigger while the job runs waits for the slot and then runs', async () => {
      await scheduler.addJob(def({ id: 'busy', func: 'gated', trigger: 'cron', hour: '3' }));
      await scheduler.triggerJob('busy', null);
      await tick(T0 + 1);
      clock.advance(1);
      await scheduler.triggerJob('busy', null);
      await tick(T0 + 2);
      expect(calls).toHaveLength(1);
      for (const release of gates.values()) release();
      gates.clear();
      await settle();
      await tick(T0 + 3);
      expect(calls).toHaveLength(2);
      const { runs } = await scheduler.listRuns({ jobId: 'busy', limit: 10, offset: 0 });
      expect(runs.map((r) => r.kind)).toEqual(['manual', 'manual']);
    });

    it('manual trigger with overrides runs a one-off copy with kwargs overlaid, then removes it', async () => {
      await scheduler.addJob(def({ id: 'o', func: 'record', trigger: 'cron', hour: '3', kwargs: { tag: 'base', n: 1 } }));
      const result = await scheduler.triggerJob('o', { kwargs: { tag: 'override' } });
      expect(result.scheduledJobId).toBe(`o__manual__${T0}`);
      expect((await scheduler.listJobs()).map((v) => v.job.id)).toContain(result.scheduledJobId);
      await tick(T0 + 1);
      expect(calls).toEqual([expect.objectContaining({ jobId: result.scheduledJobId, kwargs: { tag: 'override', n: 1 } })]);
      expect((await scheduler.listJobs()).map((v) => v.job.id)).toEqual(['o']);
    });

    it('rejects overrides that do not fit the kwargs schema and stores nothing', async () => {
      await scheduler.addJob(def({ id: 'v', func: 'record', trigger: 'cron', hour: '3' }));
      await expect(scheduler.triggerJob('v', { kwargs: { n: 'three' } })).rejects.toMatchObject({ code: 'invalid_kwargs', details: [{ field: 'kwargs.n' }] });
      await expect(scheduler.triggerJob('v', { kwargs: { bogus: 1 } })).rejects.toMatchObject({ code: 'invalid_kwargs' });
      expect((await scheduler.listJobs()).map((v) => v.job.id)).toEqual(['v']);
    });

    it('scheduler-wide pause stops claiming; resume follows the misfire rules', async () => {
      await scheduler.addJob(def({ id: 's', func: 'record', trigger: 'cron', second: '*/10' }));
      await scheduler.pauseAll();
      expect((await scheduler.status()).state).toBe('stopped');
      expect(await store.getSchedulerPaused()).toBe(true);
      await scheduler.resumeAll();
      expect(await store.getSchedulerPaused()).toBe(false);
    });
  });

  describe('reload', () => {
    it('reports added, changed and removed yaml jobs and leaves API jobs alone', async () => {
      const yaml = (entry: Record<string, unknown>): JobDefinition => ({ ...def(entry), owner: 'yaml' });
      await scheduler.addJob(def({ id: 'api-job', func: 'record', trigger: 'cron', hour: '1' }));
      expect(await scheduler.reconcile([yaml({ id: 'a', func: 'record', trigger: 'cron', hour: '1' }), yaml({ id: 'b', func: 'record', trigger: 'cron', hour: '2' })])).toEqual({
        added: ['a', 'b'],
        changed: [],
        removed: [],
      });
      await scheduler.pauseJob('a');
      expect(await scheduler.reconcile([yaml({ id: 'a', func: 'record', trigger: 'cron', hour: '1', kwargs: { tag: 'new' } })])).toEqual({
        added: [],
        changed: ['a'],
        removed: ['b'],
      });
      const a = (await scheduler.getJob('a'))!;
      expect([a.job.paused, a.job.kwargs]).toEqual([true, { tag: 'new' }]);
      expect((await scheduler.listJobs()).map((v) => v.job.id).sort()).toEqual(['a', 'api-job']);
      expect(await scheduler.reconcile([yaml({ id: 'a', func: 'record', trigger: 'cron', hour: '1', kwargs: { tag: 'new' } })])).toEqual({ added: [], changed: [], removed: [] });
    });
  });

  describe('deploy-time reconciliation', () => {
    const yaml = (entry: Record<string, unknown>): JobDefinition => ({ ...def(entry), owner: 'yaml' });
    const v1 = [yaml({ id: 'a', func: 'record', trigger: 'cron', second: '*/10' }), yaml({ id: 'b', func: 'record', trigger: 'cron', hour: '1' })];
    const v2 = [yaml({ id: 'a', func: 'record', trigger: 'cron', second: '*/10', kwargs: { tag: 'v2' } }), yaml({ id: 'c', func: 'record', trigger: 'cron', hour: '2' })];

    it('instances starting at once with the same file converge: nothing duplicated, dropped or reset', async () => {
      const handles = [store, await reopenStore(store), await reopenStore(store)];
      const schedulers = handles.map((h, i) => testScheduler(h, clock, types, `instance-${i}`));
      const diffs = await Promise.all(schedulers.map((s) => s.reconcile(v1, 1_000)));
      expect(diffs.flatMap((d) => d.added).sort()).toEqual(['a', 'b']);
      expect(diffs.flatMap((d) => [...d.changed, ...d.removed])).toEqual([]);
      const next = (await scheduler.getJob('a'))!.job.nextRunTime;
      clock.advance(25_000);
      await Promise.all(schedulers.map((s) => s.reconcile(v1, 1_000)));
      expect((await scheduler.getJob('a'))!.job.nextRunTime).toEqual(next);
      for (const h of handles.slice(1)) await h.close();
    });

    it('the newest deploy wins whatever the start order; an older file is refused and changes nothing', async () => {
      await scheduler.reconcile(v2, 2_000);
      await expect(scheduler.reconcile(v1, 1_000)).rejects.toBeInstanceOf(StaleDeployError);
      expect((await scheduler.listJobs()).map((v) => v.job.id).sort()).toEqual(['a', 'c']);
      expect((await scheduler.getJob('a'))!.job.kwargs).toEqual({ tag: 'v2' });
      expect(await scheduler.reconcile(v1, 3_000)).toEqual({ added: ['b'], changed: ['a'], removed: ['c'] });
    });
  });

  describe('persistence', () => {
    it('a new scheduler on the same store keeps jobs, schedules, paused state and history', async () => {
      const s1 = testScheduler(store, clock, types);
      await s1.addJob(def({ id: 'keep', func: 'record', trigger: 'cron', second: '*/10' }));
      await s1.addJob(def({ id: 'paused', func: 'record', trigger: 'cron', second: '*/10' }));
      await s1.pauseJob('paused');
      await s1.runDue(T0);
      await s1.idle();
      const reopened = await reopenStore(store);
      const s2 = testScheduler(reopened, clock, types);
      const keep = (await s2.getJob('keep'))!;
      expect(keep.job.nextRunTime?.toISOString()).toBe('2026-03-01T00:00:10.000Z');
      expect(keep.stats.totalSuccess).toBe(1);
      expect((await s2.getJob('paused'))!.job.paused).toBe(true);
      await s2.runDue(T0 + 35_000);
      await s2.idle();
      expect(calls.map((c) => c.scheduledAt.slice(14, 19))).toEqual(['00:00', '00:30']);
      await reopened.close();
    });
  });
}
