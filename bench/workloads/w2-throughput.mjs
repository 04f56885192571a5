import { runContender } from '../lib/contender-process.mjs';
import { openStorage } from '../lib/stores.mjs';
import { PEERS } from '../peers/index.mjs';

/**
 * W2: F fires due at once (one-off date jobs, or plain queued jobs), trivial
 * body, run history persisted; time from the start call until the last outcome
 * is committed. Populating runs in a process of its own and is not timed.
 * With `instances` > 1 that many processes drain the same store together.
 */
export const w2 = {
  id: 'w2',
  headline: ['firesPerSec'],
  title: 'W2 throughput: fires due at once, drained to a persisted outcome',
  excluded: {
    croner: 'in memory, no persisted history: nothing to drain',
    'apscheduler (memory)': 'in memory: nothing persisted',
  },
  metrics: [
    { key: 'firesPerSec', label: 'fires/s', lowerIsBetter: false },
    { key: 'drainMs', label: 'drain ms', lowerIsBetter: true },
    { key: 'startToFirstMs', label: 'start→first ms', lowerIsBetter: true },
    { key: 'peakRssMb', label: 'peak RSS MB', lowerIsBetter: true },
  ],
  contenders: [
    { peer: 'kairos', storage: 'sqlite', quick: true },
    { peer: 'kairos', storage: 'postgres', quick: true },
    { peer: 'kairos', storage: 'postgres', instances: 3, quick: false },
    { peer: 'apscheduler', storage: 'sqlite', quick: false },
    { peer: 'apscheduler', storage: 'postgres', quick: false },
    { peer: 'pg-boss', storage: 'postgres', quick: true },
    { peer: 'graphile-worker', storage: 'postgres', quick: true },
    { peer: 'bullmq', storage: 'redis', quick: false },
  ],
  sizes: (mode) => [{ fires: mode === 'full' ? 20_000 : mode === 'quick' ? 2_000 : 200 }],

  async run(contender, size, _mode, tag) {
    const peer = PEERS[contender.peer];
    const storage = await openStorage(contender.storage, tag);
    const instances = contender.instances ?? 1;
    const params = { ...storage.params, ...size, instances, timeoutMs: 300_000 };
    try {
      await runContender({ peer, workload: 'w2Populate', params });
      const drains = await Promise.all(
        Array.from({ length: instances }, (_, i) => runContender({ peer, workload: 'w2Drain', params: { ...params, dir: `${params.dir}/i${i}` }, nodeArgs: contender.nodeArgs })),
      );
      const startCall = Math.min(...drains.map((d) => d.startCall));
      const lastRecorded = Math.max(...drains.map((d) => d.lastRecorded));
      const firsts = drains.map((d) => d.firstStart).filter((t) => t !== null);
      const ran = drains.reduce((n, d) => n + d.ran, 0);
      if (ran < size.fires) throw new Error(`only ${ran} of ${size.fires} fires ran`);
      return {
        firesPerSec: (size.fires / (lastRecorded - startCall)) * 1000,
        drainMs: lastRecorded - startCall,
        startToFirstMs: firsts.length ? Math.min(...firsts) - startCall : null,
        peakRssMb: Math.max(...drains.map((d) => d.peakRssMb)),
        ran,
        // Kairos counts its ledger rows; fires beyond the total would be duplicates.
        recorded: drains[0].recorded,
      };
    } finally {
      await storage.close();
    }
  },
};
