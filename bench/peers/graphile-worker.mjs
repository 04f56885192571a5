import pg from 'pg';
import { importPeer } from '../lib/peers-install.mjs';
import { waitFor } from '../lib/timing.mjs';

/**
 * graphile-worker on the same PostgreSQL: a fire is a job. Its cron is
 * minute-granular, so it takes no part in W1. The worker runs with
 * concurrency 10, a local queue of 100 and unbatched completion (its
 * documented throughput settings). A completed job is deleted: there is no
 * run history, which this comparison favours it with.
 */
const TASK = { w2: 'kbench_w2', w3: 'kbench_w3' };
const preset = { worker: { localQueue: { size: 100 }, completeJobBatchDelay: 0 } };

async function addJobs(params, task, count, spec) {
  const { makeWorkerUtils } = await importPeer('graphile-worker');
  const utils = await makeWorkerUtils({ connectionString: params.pgUrl });
  await utils.migrate();
  for (let i = 0; i < count; i += 1000) {
    await utils.addJobs(Array.from({ length: Math.min(1000, count - i) }, () => ({ identifier: task, payload: {}, ...spec })));
  }
  await utils.release();
  return {};
}

async function remaining(params) {
  const client = new pg.Client({ connectionString: params.pgUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM graphile_worker.jobs')).rows[0].n);
  } finally {
    await client.end();
  }
}

async function runner(params, taskList) {
  const { run } = await importPeer('graphile-worker');
  return run({ connectionString: params.pgUrl, concurrency: 10, noHandleSignals: true, pollInterval: 1000, preset, taskList, logger: quietLogger(await importPeer('graphile-worker')) });
}

function quietLogger({ Logger }) {
  return new Logger(() => (level, message) => {
    if (level === 'error') process.stderr.write(`graphile-worker: ${message}\n`);
  });
}

export const workloads = {
  w2Populate: (params) => addJobs(params, TASK.w2, params.fires, {}),

  async w2Drain(params) {
    let ran = 0;
    let firstStart = null;
    const startCall = Date.now();
    const worker = await runner(params, {
      [TASK.w2]: async () => {
        firstStart ??= Date.now();
        ran++;
      },
    });
    await waitFor(() => ran >= params.fires, 5, params.timeoutMs);
    // Completion deletes the row; a fire counts once that is committed.
    await waitFor(async () => (await remaining(params)) === 0, 10, params.timeoutMs);
    const lastRecorded = Date.now();
    await worker.stop();
    return { startCall, firstStart, lastRecorded, ran, recorded: null };
  },

  w3Populate: (params) => addJobs(params, TASK.w3, params.jobs, { runAt: new Date(Date.now() + 3_600_000) }),

  async w3Start(params, { ready }) {
    const worker = await runner(params, { [TASK.w3]: async () => {} });
    await ready({});
    await worker.stop();
    return {};
  },
};
