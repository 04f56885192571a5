import type { Config } from '../config/config.js';
import type { JobStore } from '../scheduler/store.js';
import { PostgresJobStore } from '../scheduler/stores/postgres/postgres-store.js';
import { SqliteJobStore } from '../scheduler/stores/sqlite/sqlite-store.js';

/** Opens the configured job store (not yet migrated). */
export async function openJobStore(config: Config): Promise<JobStore> {
  switch (config.jobStore.kind) {
    case 'sqlite':
      return new SqliteJobStore(config.jobStore.path);
    case 'postgres':
      return new PostgresJobStore({ url: config.jobStore.url, schema: config.postgresSchema });
  }
}
