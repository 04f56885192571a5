import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { apschedulerVersion, peerVersion } from '../lib/peers-install.mjs';

/**
 * Every contender's process: Node peers run `module`'s workload functions
 * through lib/child-main.mjs; APScheduler runs its Python script.
 */
export const PEERS = {
  kairos: { name: 'kairos', runtime: 'node', module: 'peers/kairos.mjs', version: kairosVersion },
  croner: { name: 'croner', runtime: 'node', module: 'peers/croner.mjs', version: () => peerVersion('croner') },
  apscheduler: {
    name: 'apscheduler',
    runtime: 'python',
    script: fileURLToPath(new URL('./apscheduler_bench.py', import.meta.url)),
    version: apschedulerVersion,
  },
  'pg-boss': { name: 'pg-boss', runtime: 'node', module: 'peers/pg-boss.mjs', version: () => peerVersion('pg-boss') },
  'graphile-worker': { name: 'graphile-worker', runtime: 'node', module: 'peers/graphile-worker.mjs', version: () => peerVersion('graphile-worker') },
  bullmq: { name: 'bullmq', runtime: 'node', module: 'peers/bullmq.mjs', version: () => peerVersion('bullmq') },
  /** Not a peer: the WebSocket clients of W5, in a process of their own. */
  wsClients: { name: 'ws-clients', runtime: 'node', module: 'workloads/ws-clients.mjs', version: () => null },
};

function kairosVersion() {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
}
