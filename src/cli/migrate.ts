import { openJobStore } from '../app/job-store.js';
import { configFromEnvironment, type Command } from './command.js';

/** `kairos migrate`: applies pending job store migrations and exits. */
export const migrateCommand: Command = async () => {
  const { config } = configFromEnvironment();
  const store = await openJobStore(config);
  try {
    await store.migrate();
    process.stdout.write(`job store (${config.jobStore.kind}) is up to date\n`);
    return 0;
  } finally {
    await store.close();
  }
};
