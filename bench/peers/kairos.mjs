import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKairos } from '../../dist/app/kairos.js';
import { openJobStore } from '../../dist/app/job-store.js';
import { loadConfig } from '../../dist/config/config.js';
import { DEFAULT_OPTIONS } from '../../dist/scheduler/types.js';
import { latenessSummary } from '../lib/stats.mjs';
import { alignedWindow, sleepUntil, waitFor } from '../lib/timing.mjs';

/**
 * Kairos as a user runs it: the built dist/ code through `createKairos(config)`,
 * configured by environment variables, jobs in a jobs file whose `func` is the
 * probe job module. Any job store `KAIROS_JOB_STORE_URL` accepts works, so a
 * new store is a new `storeUrl`, not a new adapter.
 */
const PROBE = `${fileURLToPath(new URL('../kairos/probe-job.mjs', import.meta.url))}:run`;
const FAR_FUTURE = '2099-01-01T00:00:00Z';

function configFor({ dir, storeUrl }) {
  mkdirSync(dir, { recursive: true });
  const env = {
    KAIROS_JOB_STORE_URL: storeUrl,
    KAIROS_JOBS_FILE: join(dir, 'jobs.json'),
    KAIROS_LOG_DIR: join(dir, 'logs'),
    KAIROS_LOG_CONSOLE: 'off',
    KAIROS_DEMO_SEED: 'never',
    PORT: '0',
  };
  const { config, errors } = loadConfig(env, dir, false);
  if (!config) throw new Error(`Kairos config: ${errors.join('; ')}`);
  return config;
}

/** Writes the jobs file (JSON is YAML) and builds Kairos; `jobs` are jobs.yaml entries. */
async function boot(params, jobs) {
  const config = configFor(params);
  // The probe module is registered by naming it in the jobs file; stored jobs that use it resolve through that.
  const entries = jobs.length ? jobs : [{ id: 'probe-registration', func: PROBE, trigger: 'date', run_date: FAR_FUTURE }];
  writeFileSync(config.jobsFile, JSON.stringify({ jobs: entries }));
  return createKairos(config);
}

/**
 * Stops Kairos, but gives up after 30 s: a stop that hangs (as it does once the
 * per-job log files hit EMFILE) must not hang the benchmark; it is reported.
 */
async function stop(kairos) {
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve(true), 30_000)));
  const hung = await Promise.race([kairos.stop().then(() => false), timedOut]);
  clearTimeout(timer);
  return { stopHung: hung };
}

function probeFires() {
  const fires = [];
  globalThis.kairosBenchProbe = (jobId, scheduledMs, startedMs) => fires.push([jobId, scheduledMs, startedMs]);
  return fires;
}

/** Inserts persisted jobs straight through the job store, as an earlier run of Kairos would have left them. */
async function populate(params, count, definition) {
  const config = configFor(params);
  const store = await openJobStore(config);
  await store.migrate();
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const { nextRunTime, ...def } = definition(i, now);
    await store.insertJob({ func: PROBE, kwargs: {}, owner: 'api', ...def, options: { ...DEFAULT_OPTIONS, ...def.options } }, nextRunTime, now);
  }
  await store.close();
  return {};
}

export const workloads = {
  /** W1: `jobs` cron jobs firing every second; lateness measured in the job against ctx.scheduledAt. */
  async w1(params) {
    const ids = Array.from({ length: params.jobs }, (_, i) => `j${i}`);
    const kairos = await boot(params, ids.map((id) => ({ id, func: PROBE, trigger: 'cron', second: '*' })));
    const fires = probeFires();
    await kairos.start();
    const { from, to } = alignedWindow(params.warmupSeconds, params.seconds);
    await sleepUntil(to + params.drainMs);
    return { ...latenessSummary(fires, ids, from, to, 1000), ...(await stop(kairos)) };
  },

  /** W2 populate: `fires` one-off date jobs, all due now, none dropped as misfired. */
  w2Populate: (params) =>
    populate(params, params.fires, (i, now) => ({
      id: `w2-${i}`,
      trigger: { trigger: 'date', run_date: new Date(now).toISOString() },
      options: { misfireGraceTime: null },
      nextRunTime: now,
    })),

  /**
   * W2 drain: starts Kairos and times until every fire's outcome is in the run
   * ledger. `job:event` success is emitted after `finishRun` committed. With
   * several instances each counts its own and watches the shared ledger.
   */
  async w2Drain(params) {
    const kairos = await boot(params, []);
    const fires = probeFires();
    let done = 0;
    let lastRecorded = 0;
    kairos.scheduler.events.on('job:event', (e) => {
      if (e.event !== 'success') return;
      done++;
      lastRecorded = Date.now();
    });
    const startCall = Date.now();
    await kairos.start();
    const ledgerTotal = async () =>
      (await kairos.scheduler.listRuns({ statuses: ['success'], limit: 1, offset: 0 })).total;
    if (params.instances > 1) await waitFor(async () => (await ledgerTotal()) >= params.fires, 100, params.timeoutMs);
    else await waitFor(() => done >= params.fires, 5, params.timeoutMs);
    const recorded = await ledgerTotal();
    return { startCall, firstStart: Math.min(...fires.map((f) => f[2])), lastRecorded, ran: done, recorded, ...(await stop(kairos)) };
  },

  /** W3 populate: `jobs` interval jobs, none due within the next hour. */
  w3Populate: (params) =>
    populate(params, params.jobs, (i, now) => ({
      id: `w3-${i}`,
      trigger: { trigger: 'interval', hours: 1 },
      options: {},
      nextRunTime: now + 3_600_000,
    })),

  /** W3 start: ready when the scheduler runs and the API listens; the harness times and samples from outside. */
  async w3Start(params, { ready }) {
    const kairos = await boot(params, []);
    await kairos.start();
    await ready({});
    return stop(kairos);
  },

  /**
   * W4/W5: serves the API with `jobs` jobs firing on `second` (a cron field),
   * reports fire lateness over the window the harness measured in, and how
   * many job events the WebSocket fan-out was given for fires in that window.
   */
  async serve(params, { ready }) {
    const ids = Array.from({ length: params.jobs }, (_, i) => `j${i}`);
    const kairos = await boot(params, ids.map((id) => ({ id, func: PROBE, trigger: 'cron', second: params.second })));
    const fires = probeFires();
    const events = [];
    kairos.scheduler.events.on('job:event', (e) => events.push(e.scheduledAt.getTime()));
    const url = await kairos.start();
    const { from, to, periodMs } = await ready({ url });
    return {
      ...latenessSummary(fires, ids, from, to, periodMs),
      eventsInWindow: events.filter((t) => t >= from && t < to).length,
      ...(await stop(kairos)),
    };
  },
};
