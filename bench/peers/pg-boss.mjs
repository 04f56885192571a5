import pg from 'pg';
import { importPeer } from '../lib/peers-install.mjs';
import { waitFor } from '../lib/timing.mjs';

/**
 * pg-boss on the same PostgreSQL: a fire is a job in a queue. No sub-minute
 * cron (its schedules are minute-granular), so it takes no part in W1. Workers
 * are four `work()` loops, each fetching a batch of up to 500 and then waiting
 * out the rest of its 0.5 s polling interval (the shortest it allows): v10 has
 * no local concurrency option, so batch size is its throughput setting.
 * Completed jobs stay in `pgboss.job`: that is its run history.
 */
const QUEUE = { w2: 'kbench_w2', w3: 'kbench_w3' };

async function boss(params, options = {}) {
  const { default: PgBoss } = await importPeer('pg-boss');
  const instance = new PgBoss({ connectionString: params.pgUrl, ...options });
  instance.on('error', (error) => process.stderr.write(`pg-boss: ${error.message}\n`));
  await instance.start();
  return instance;
}

async function insert(params, queue, count, job) {
  const b = await boss(params, { supervise: false, schedule: false });
  await b.createQueue(queue);
  for (let i = 0; i < count; i += 1000) {
    await b.insert(Array.from({ length: Math.min(1000, count - i) }, () => ({ name: queue, data: {}, ...job })));
  }
  await b.stop({ graceful: false, wait: true });
  return {};
}

async function sql(params, text) {
  const client = new pg.Client({ connectionString: params.pgUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

export const workloads = {
  w2Populate: (params) => insert(params, QUEUE.w2, params.fires, {}),

  async w2Drain(params) {
    let ran = 0;
    let firstStart = null;
    const startCall = Date.now();
    const b = await boss(params);
    for (let i = 0; i < 4; i++) {
      await b.work(QUEUE.w2, { batchSize: 500, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        firstStart ??= Date.now();
        ran += jobs.length;
      });
    }
    await waitFor(() => ran >= params.fires, 5, params.timeoutMs);
    // The handler has run; a fire counts once its completion is committed.
    const completed = async () =>
      Number((await sql(params, `SELECT count(*) AS n FROM pgboss.job WHERE name = '${QUEUE.w2}' AND state = 'completed'`))[0].n);
    await waitFor(async () => (await completed()) >= params.fires, 10, params.timeoutMs);
    const lastRecorded = Date.now();
    const recorded = await completed();
    await b.stop({ graceful: false, wait: true });
    return { startCall, firstStart, lastRecorded, ran, recorded };
  },

  w3Populate: (params) => insert(params, QUEUE.w3, params.jobs, { startAfter: new Date(Date.now() + 3_600_000) }),

  async w3Start(params, { ready }) {
    const b = await boss(params);
    await b.work(QUEUE.w3, async () => {});
    await ready({});
    await b.stop({ graceful: false, wait: true });
    return {};
  },
};
