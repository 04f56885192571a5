import { beforeAll } from 'vitest';
import { PostgresJobStore } from '../../src/scheduler/stores/postgres/postgres-store.js';
import type { JobStore } from '../../src/scheduler/store.js';
import { createTestDatabase } from '../support/pg.js';
import { engineContract } from './engine-contract.js';

let url: string;
let counter = 0;
const schemas = new WeakMap<JobStore, string>();

beforeAll(async () => {
  url = await createTestDatabase('engine');
});

engineContract(
  async () => {
    const schema = `t${++counter}`;
    const store = new PostgresJobStore({ url, schema });
    await store.migrate();
    schemas.set(store, schema);
    return store;
  },
  async (store) => {
    const reopened = new PostgresJobStore({ url, schema: schemas.get(store)! });
    await reopened.migrate();
    return reopened;
  },
);
