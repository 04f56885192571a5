import { runContender } from '../lib/contender-process.mjs';
import { openStorage } from '../lib/stores.mjs';
import { PEERS } from '../peers/index.mjs';

/**
 * W1: N jobs, each on a one-second trigger, all due on the same second; per
 * fire, job start minus scheduled time, plus missed and duplicated fires.
 */
export const w1 = {
  id: 'w1',
  headline: ['p99'],
  title: 'W1 lateness: jobs on a 1-second cron, fire start minus scheduled time',
  excluded: {
    'pg-boss': 'its cron is minute-granular (schedules are checked every 30 s); no 1-second trigger',
    'graphile-worker': 'its cron is minute-granular; no 1-second trigger',
  },
  metrics: [
    { key: 'p50', label: 'p50 ms', lowerIsBetter: true },
    { key: 'p90', label: 'p90 ms', lowerIsBetter: true },
    { key: 'p99', label: 'p99 ms', lowerIsBetter: true },
    { key: 'max', label: 'max ms', lowerIsBetter: true },
    { key: 'missed', label: 'missed', lowerIsBetter: true },
    { key: 'duplicated', label: 'dup', lowerIsBetter: true },
    { key: 'peakRssMb', label: 'peak RSS MB', lowerIsBetter: true },
  ],
  contenders: [
    { peer: 'kairos', storage: 'sqlite', quick: true },
    { peer: 'kairos', storage: 'postgres', quick: false },
    { peer: 'croner', storage: 'memory', quick: true },
    { peer: 'apscheduler', storage: 'memory', quick: false },
    { peer: 'apscheduler', storage: 'sqlite', quick: true },
    { peer: 'apscheduler', storage: 'postgres', quick: false },
    { peer: 'bullmq', storage: 'redis', quick: false },
  ],
  sizes: (mode) => (mode === 'full' ? [200, 1000] : mode === 'quick' ? [200] : [20]).map((jobs) => ({ jobs })),
  timing: (mode) => ({ seconds: mode === 'full' ? 30 : mode === 'quick' ? 5 : 2, warmupSeconds: mode === 'smoke' ? 1 : 2, drainMs: 2000 }),

  async run(contender, size, mode, tag) {
    const storage = await openStorage(contender.storage, tag);
    try {
      return await runContender({ peer: PEERS[contender.peer], workload: 'w1', params: { ...storage.params, ...size, ...this.timing(mode) }, nodeArgs: contender.nodeArgs });
    } finally {
      await storage.close();
    }
  },
};
