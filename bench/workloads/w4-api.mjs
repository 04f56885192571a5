import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runContender } from '../lib/contender-process.mjs';
import { openStorage } from '../lib/stores.mjs';
import { PEERS } from '../peers/index.mjs';

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/.bin/autocannon', import.meta.url));
const run = promisify(execFile);

/** Loads one URL with autocannon in a separate process; requests/s and p99 latency. */
async function load(url, seconds, connections) {
  const { stdout } = await run(AUTOCANNON, ['-j', '-c', String(connections), '-d', String(seconds), url], { maxBuffer: 1 << 24 });
  const result = JSON.parse(stdout);
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/**
 * W4: the control API under load while 1,000 jobs fire (all on `*\/5`
 * seconds: 200 fires/s on average, in bursts). Kairos only: no peer serves
 * this API (the Python system's FastAPI layer is not part of APScheduler).
 */
export const w4 = {
  id: 'w4',
  headline: ['jobsRps'],
  title: 'W4 API: GET /scheduler/jobs and GET /health/ under load while jobs fire',
  excluded: { 'all peers': 'none of them serves this HTTP API' },
  metrics: [
    { key: 'jobsRps', label: 'jobs req/s', lowerIsBetter: false },
    { key: 'jobsP99', label: 'jobs p99 ms', lowerIsBetter: true },
    { key: 'healthRps', label: 'health req/s', lowerIsBetter: false },
    { key: 'healthP99', label: 'health p99 ms', lowerIsBetter: true },
    { key: 'errors', label: 'errors', lowerIsBetter: true },
    { key: 'p99', label: 'fire p99 ms', lowerIsBetter: true },
    { key: 'peakRssMb', label: 'peak RSS MB', lowerIsBetter: true },
  ],
  contenders: [
    { peer: 'kairos', storage: 'sqlite', quick: true },
    { peer: 'kairos', storage: 'postgres', quick: false },
  ],
  sizes: (mode) => [{ jobs: mode === 'smoke' ? 20 : 1000 }],
  loadSeconds: (mode) => (mode === 'full' ? 15 : mode === 'quick' ? 5 : 3),

  async run(contender, size, mode, tag) {
    const storage = await openStorage(contender.storage, tag);
    const seconds = this.loadSeconds(mode);
    try {
      return await runContender({
        peer: PEERS.kairos,
        workload: 'serve',
        params: { ...storage.params, ...size, second: '*/5' },
        nodeArgs: contender.nodeArgs,
        whileReady: async ({ ready }) => {
          const from = Date.now();
          const jobs = await load(`${ready.url}/scheduler/jobs`, seconds, 10);
          const health = await load(`${ready.url}/health/`, seconds, 10);
          const window = { from: Math.ceil(from / 5_000) * 5_000, to: Math.floor(Date.now() / 5_000) * 5_000, periodMs: 5_000 };
          return {
            metrics: { jobsRps: jobs.rps, jobsP99: jobs.p99, healthRps: health.rps, healthP99: health.p99, errors: jobs.errors + health.errors },
            report: { ...window, to: Math.max(window.from, window.to) },
          };
        },
      });
    } finally {
      await storage.close();
    }
  },
};
