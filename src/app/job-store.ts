import type { Config } from '../config/config.js';
import type { JobStore } from '../scheduler/store.js';

/** Opens the configured job store (not yet migrated); only its driver is loaded. */
export async function openJobStore(config: Config): Promise<JobStore> {
  switch (config.jobStore.kind) {
    case 'sqlite': {
      const { SqliteJobStore } = await import('../scheduler/stores/sqlite/sqlite-store.js');
      return new SqliteJobStore(config.jobStore.path);
    }
    case 'postgres': {
      const { PostgresJobStore } = await import('../scheduler/stores/postgres/postgres-store.js');
      return new PostgresJobStore({ url: config.jobStore.url, schema: config.postgresSchema });
    }
  }
}
