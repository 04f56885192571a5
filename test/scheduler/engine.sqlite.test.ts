import { join } from 'node:path';
import { SqliteJobStore } from '../../src/scheduler/stores/sqlite/sqlite-store.js';
import type { JobStore } from '../../src/scheduler/store.js';
import { tempDir } from '../support/scheduler.js';
import { engineContract } from './engine-contract.js';

const paths = new WeakMap<JobStore, string>();

engineContract(
  async () => {
    const path = join(tempDir('engine'), 'kairos.db');
    const store = new SqliteJobStore(path);
    await store.migrate();
    paths.set(store, path);
    return store;
  },
  async (store) => {
    const reopened = new SqliteJobStore(paths.get(store)!);
    await reopened.migrate();
    return reopened;
  },
);
