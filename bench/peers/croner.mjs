import { importPeer } from '../lib/peers-install.mjs';
import { latenessSummary } from '../lib/stats.mjs';
import { alignedWindow, sleepUntil } from '../lib/timing.mjs';

/**
 * croner, in process and in memory: one `Cron` timer per job. It is the floor
 * for W1 (no store, no ledger), so it takes part in W1 only. croner does not
 * hand the callback its scheduled time; on a one-second pattern the fire being
 * served is the start time floored to the second (a fire a whole second late
 * would show up as a duplicate, so that error cannot hide).
 */
export const workloads = {
  async w1(params) {
    const { Cron } = await importPeer('croner');
    const ids = Array.from({ length: params.jobs }, (_, i) => `j${i}`);
    const fires = [];
    const crons = ids.map((id) => new Cron('* * * * * *', () => {
      const now = Date.now();
      fires.push([id, Math.floor(now / 1000) * 1000, now]);
    }));
    const { from, to } = alignedWindow(params.warmupSeconds, params.seconds);
    await sleepUntil(to + params.drainMs);
    for (const cron of crons) cron.stop();
    return latenessSummary(fires, ids, from, to, 1000);
  },
};
