import { runContender } from '../lib/contender-process.mjs';
import { cpuSecondsOf, memoryOf } from '../lib/proc.mjs';
import { openStorage } from '../lib/stores.mjs';
import { sleep } from '../lib/timing.mjs';
import { PEERS } from '../peers/index.mjs';

/**
 * W3: N persisted jobs, none due for an hour. Start-up is timed from spawn to
 * "ready" (scheduler running; for Kairos also the API listening); then after a
 * 1 s settle, CPU and RSS are read from /proc over an idle window. Jobs are
 * populated once per contender; every repetition starts on the same data.
 */
export const w3 = {
  id: 'w3',
  headline: ['startMs', 'rssMb'],
  title: 'W3 scale: start-up, RSS and idle CPU with persisted jobs, nothing due',
  excluded: {
    croner: 'in memory: nothing persisted to start from',
    'apscheduler (memory)': 'in memory: nothing persisted to start from',
  },
  metrics: [
    { key: 'startMs', label: 'start ms', lowerIsBetter: true },
    { key: 'rssMb', label: 'RSS MB', lowerIsBetter: true },
    { key: 'peakRssMb', label: 'peak RSS MB', lowerIsBetter: true },
    { key: 'idleCpuPct', label: 'idle CPU %', lowerIsBetter: true },
  ],
  contenders: [
    { peer: 'kairos', storage: 'sqlite', quick: true },
    { peer: 'kairos', storage: 'postgres', quick: false },
    { peer: 'apscheduler', storage: 'sqlite', quick: true },
    { peer: 'apscheduler', storage: 'postgres', quick: false },
    { peer: 'pg-boss', storage: 'postgres', quick: false },
    { peer: 'graphile-worker', storage: 'postgres', quick: false },
    { peer: 'bullmq', storage: 'redis', quick: false },
  ],
  sizes: (mode) => [{ jobs: mode === 'full' ? 100_000 : mode === 'quick' ? 10_000 : 200 }],
  idleSeconds: (mode) => (mode === 'full' ? 30 : mode === 'quick' ? 5 : 1),

  /** Populates once; `run` then starts on it every repetition. */
  async prepare(contender, size, _mode, tag) {
    const storage = await openStorage(contender.storage, tag);
    await runContender({ peer: PEERS[contender.peer], workload: 'w3Populate', params: { ...storage.params, ...size }, timeoutMs: 1_800_000 });
    return storage;
  },

  async run(contender, size, mode, _tag, storage) {
    const idleMs = this.idleSeconds(mode) * 1000;
    return runContender({
      peer: PEERS[contender.peer],
      workload: 'w3Start',
      params: { ...storage.params, ...size },
      nodeArgs: contender.nodeArgs,
      whileReady: async ({ pid, ready }) => {
        await sleep(1000);
        const cpu0 = cpuSecondsOf(pid);
        await sleep(idleMs);
        const idleCpuPct = ((cpuSecondsOf(pid) - cpu0) / (idleMs / 1000)) * 100;
        return { metrics: { startMs: ready.readyMs, rssMb: memoryOf(pid).rssMb, idleCpuPct } };
      },
    });
  },
};
