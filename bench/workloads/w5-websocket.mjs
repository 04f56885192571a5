import { runContender } from '../lib/contender-process.mjs';
import { median } from '../lib/stats.mjs';
import { openStorage } from '../lib/stores.mjs';
import { alignedWindow, sleepUntil } from '../lib/timing.mjs';
import { PEERS } from '../peers/index.mjs';

/**
 * W5: C WebSocket clients on /ws/scheduler while 500 jobs fire every second
 * (each fire is two events, submitted and its outcome: 1,000 events/s).
 * Per healthy client, events delivered for fires in the window against the
 * events the server emitted for them. Kairos only: no peer has this stream.
 */
export const w5 = {
  id: 'w5',
  headline: ['deliveredPct'],
  title: 'W5 WebSocket: clients receiving job events at 1,000 events/s',
  excluded: { 'all peers': 'none of them has an event stream to clients' },
  metrics: [
    { key: 'eventsPerSec', label: 'events/s', lowerIsBetter: false },
    { key: 'healthy', label: 'healthy clients', lowerIsBetter: false },
    { key: 'deliveredPct', label: 'delivered % (median client)', lowerIsBetter: false },
    { key: 'minDeliveredPct', label: 'delivered % (worst client)', lowerIsBetter: false },
    { key: 'p99', label: 'fire p99 ms', lowerIsBetter: true },
    { key: 'missed', label: 'missed fires', lowerIsBetter: true },
    { key: 'peakRssMb', label: 'peak RSS MB', lowerIsBetter: true },
  ],
  contenders: [
    { peer: 'kairos', storage: 'sqlite', quick: true },
    { peer: 'kairos', storage: 'postgres', quick: false },
  ],
  sizes: (mode) => [{ clients: mode === 'full' ? 500 : mode === 'quick' ? 100 : 5, jobs: mode === 'smoke' ? 20 : 500 }],
  seconds: (mode) => (mode === 'full' ? 20 : mode === 'quick' ? 5 : 1),

  async run(contender, size, mode, tag) {
    const storage = await openStorage(contender.storage, tag);
    const seconds = this.seconds(mode);
    let clients;
    try {
      const server = await runContender({
        peer: PEERS.kairos,
        workload: 'serve',
        params: { ...storage.params, jobs: size.jobs, second: '*' },
        nodeArgs: contender.nodeArgs,
        whileReady: async ({ ready }) => {
          let window;
          clients = await runContender({
            peer: PEERS.wsClients,
            workload: 'clients',
            params: { url: ready.url, clients: size.clients },
            whileReady: async () => {
              window = alignedWindow(1, seconds);
              // Events of the window's last fires are still in flight when it closes.
              await sleepUntil(window.to + 2000);
              return { report: window };
            },
          });
          return { report: { ...window, periodMs: 1000 } };
        },
      });
      const emitted = server.eventsInWindow;
      const pct = (n) => (emitted ? (n / emitted) * 100 : null);
      return {
        eventsPerSec: emitted / seconds,
        healthy: clients.healthy,
        deliveredPct: pct(median(clients.delivered)),
        minDeliveredPct: pct(Math.min(...clients.delivered)),
        p99: server.p99,
        missed: server.missed,
        peakRssMb: server.peakRssMb,
        clientsPeakRssMb: clients.peakRssMb,
      };
    } finally {
      await storage.close();
    }
  },
};
