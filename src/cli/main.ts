import { configCheckCommand } from './config-check.js';
import { demoCommand } from './demo.js';
import { instancesCommand } from './instances.js';
import { jobsCommand } from './jobs.js';
import { migrateCommand } from './migrate.js';
import { refillCommand } from './refill.js';
import { schedulePreviewCommand } from './schedule-preview.js';
import { serveCommand } from './serve.js';
import { warehouseCommand } from './warehouse.js';
import { JobsFileError } from '../jobs-file/load-jobs-file.js';
import { CliError, type Command } from './command.js';

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  config: configCheckCommand,
  migrate: migrateCommand,
  schedule: schedulePreviewCommand,
  jobs: jobsCommand,
  instances: instancesCommand,
  demo: demoCommand,
  refill: refillCommand,
  warehouse: warehouseCommand,
};

const USAGE = `usage: kairos <command> [options]

commands:
  serve                          run the scheduler and its API (what npm start runs)
  config check                   validate the configuration (exit 0 valid, 1 invalid)
  migrate                        apply job store migrations
  schedule preview --spec JSON [--from ISO] [--count N]
                                 print the next fire times of a trigger spec as JSON
  jobs list|show|trigger|pause|resume|runs|preview [ID] [--url URL] [--token T] [--overrides JSON]
                                 talk to a running instance's API
  demo seed [--force]            demo portfolios on the simulated exchange
  instances                      instances sharing the job store and their heartbeats
  refill --from ISO [--to ISO] [--master] [--keys a,b] [--source-test] [--target-prod]
                                 recompute performance rows over a time range
  warehouse export [--include-credentials] | import | encrypt-credential VALUE
                                 NDJSON export/import between warehouses (stdout/stdin)
`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`kairos: unknown command '${name}'\n\n${USAGE}`);
    return 1;
  }
  try {
    return await command(rest);
  } catch (error) {
    const message = error instanceof CliError || error instanceof JobsFileError ? error.message : (error as Error).stack ?? String(error);
    process.stderr.write(`kairos ${name}: ${message}\n`);
    return 1;
  }
}
