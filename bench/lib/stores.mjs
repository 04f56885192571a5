import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runContender } from './contender-process.mjs';
import { dropDatabase, freshDatabase } from './databases.mjs';
import { PEERS } from '../peers/index.mjs';

/**
 * Fresh storage for one contender: a temporary directory (SQLite), a new
 * `kairos_bench_<tag>` database (PostgreSQL) or queue names under the bench
 * prefix (Redis). Returns the params every adapter understands and a cleanup.
 */
export async function openStorage(kind, tag) {
  const dir = mkdtempSync(join(tmpdir(), `kairos-bench-${tag}-`));
  const params = { dir, store: kind, queue: tag };
  let drop = async () => {};
  if (kind === 'sqlite') {
    params.storeUrl = `sqlite:${join(dir, 'store.db')}`;
    params.pythonStoreUrl = `sqlite:///${join(dir, 'store.db')}`;
  } else if (kind === 'postgres') {
    const name = `kairos_bench_${tag.replace(/[^a-z0-9]+/g, '_')}`;
    params.pgUrl = await freshDatabase(name);
    params.storeUrl = params.pgUrl;
    params.pythonStoreUrl = params.pgUrl.replace(/^postgres:/, 'postgresql+psycopg2:');
    drop = () => dropDatabase(name);
  } else if (kind === 'redis') {
    drop = () => runContender({ peer: PEERS.bullmq, workload: 'cleanup', params: { queues: ['w1', 'w2', 'w3'].map((w) => `${w}-${tag}`) } });
  }
  return {
    params,
    async close() {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
