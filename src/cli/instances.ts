import { openJobStore } from '../app/job-store.js';
import { configFromEnvironment, type Command } from './command.js';

/** `kairos instances`: the instances sharing the job store, with their last heartbeat. */
export const instancesCommand: Command = async () => {
  const { config } = configFromEnvironment();
  const store = await openJobStore(config);
  try {
    const now = Date.now();
    const instances = (await store.listInstances()).map((i) => ({
      id: i.id,
      host: i.host,
      pid: i.pid,
      version: i.version,
      started_at: new Date(i.startedAt).toISOString(),
      heartbeat_age_ms: now - i.heartbeatAt,
      alive: now - i.heartbeatAt < config.leaseMs,
    }));
    process.stdout.write(`${JSON.stringify({ instances }, null, 2)}\n`);
    return 0;
  } finally {
    await store.close();
  }
};
