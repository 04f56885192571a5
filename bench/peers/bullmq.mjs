import { importPeer } from '../lib/peers-install.mjs';
import { latenessSummary } from '../lib/stats.mjs';
import { alignedWindow, sleepUntil, waitFor } from '../lib/timing.mjs';

/**
 * BullMQ on Redis. W1: one job scheduler per job on the pattern
 * `* * * * * *` and a worker of concurrency 100; the scheduled time is the
 * scheduler's `prevMillis` on each job. W2/W3: plain (or delayed) jobs and a
 * worker of concurrency 50; completed jobs are kept (its run history).
 * Keys live under the `kbench` prefix and are obliterated by `cleanup`.
 */
const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const PREFIX = 'kbench';

async function queueOf(name) {
  const { Queue } = await importPeer('bullmq');
  return new Queue(name, { connection, prefix: PREFIX });
}

async function worker(name, concurrency, processor) {
  const { Worker } = await importPeer('bullmq');
  const w = new Worker(name, processor, { connection, prefix: PREFIX, concurrency });
  await w.waitUntilReady();
  return w;
}

async function addBulk(name, count, opts) {
  const queue = await queueOf(name);
  for (let i = 0; i < count; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, count - i) }, () => ({ name: 'fire', data: {}, opts })));
  }
  await queue.close();
  return {};
}

export const workloads = {
  async w1(params) {
    const name = `w1-${params.queue}`;
    const queue = await queueOf(name);
    const ids = Array.from({ length: params.jobs }, (_, i) => `j${i}`);
    for (const id of ids) await queue.upsertJobScheduler(id, { pattern: '* * * * * *' }, { name: 'tick', data: { id } });
    const fires = [];
    const w = await worker(name, 100, async (job) => {
      fires.push([job.data.id, job.opts.prevMillis, Date.now()]);
    });
    const { from, to } = alignedWindow(params.warmupSeconds, params.seconds);
    await sleepUntil(to + params.drainMs);
    await w.close(true);
    await queue.obliterate({ force: true });
    await queue.close();
    return latenessSummary(fires, ids, from, to, 1000);
  },

  w2Populate: (params) => addBulk(`w2-${params.queue}`, params.fires, {}),

  async w2Drain(params) {
    let ran = 0;
    let recordedCount = 0;
    let firstStart = null;
    let lastRecorded = null;
    const startCall = Date.now();
    const w = await worker(`w2-${params.queue}`, 50, async () => {
      firstStart ??= Date.now();
      ran++;
    });
    // `completed` is emitted once the job has moved to the completed set in Redis.
    w.on('completed', () => {
      recordedCount++;
      lastRecorded = Date.now();
    });
    await waitFor(() => recordedCount >= params.fires, 5, params.timeoutMs);
    await w.close();
    return { startCall, firstStart, lastRecorded, ran, recorded: recordedCount };
  },

  w3Populate: (params) => addBulk(`w3-${params.queue}`, params.jobs, { delay: 3_600_000 }),

  async w3Start(params, { ready }) {
    const w = await worker(`w3-${params.queue}`, 50, async () => {});
    await ready({});
    await w.close(true);
    return {};
  },

  /** Drops every key of the benchmark's queues (Redis is shared with others). */
  async cleanup(params) {
    for (const name of params.queues) {
      const queue = await queueOf(name);
      await queue.obliterate({ force: true });
      await queue.close();
    }
    return {};
  },
};
