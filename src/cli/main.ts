import { configCheckCommand } from './config-check.js';
import { jobsCommand } from './jobs.js';
import { migrateCommand } from './migrate.js';
import { schedulePreviewCommand } from './schedule-preview.js';
import { serveCommand } from './serve.js';
import { JobsFileError } from '../jobs-file/load-jobs-file.js';
import { CliError, type Command } from './command.js';

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  config: configCheckCommand,
  migrate: migrateCommand,
  schedule: schedulePreviewCommand,
  jobs: jobsCommand,
};

const USAGE = `usage: kairos <command> [options]

commands:
  serve                          run the scheduler and its API (what npm start runs)
  config check                   validate the configuration (exit 0 valid, 1 invalid)
  migrate                        apply job store migrations
  schedule preview --spec JSON [--from ISO] [--count N]
                                 print the next fire times of a trigger spec as JSON
  jobs list|show|trigger|pause|resume|runs [ID] [--url URL] [--token T] [--overrides JSON]
                                 talk to a running instance's API
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
