import { parseArgs } from 'node:util';
import { openConfiguredWarehouse } from '../app/warehouse.js';
import { progressReporter } from '../marts/progress.js';
import { refill } from '../marts/refill.js';
import { CliError, configFromEnvironment, type Command } from './command.js';

/** How often a progress line goes to stderr. */
const PROGRESS_MS = 2_000;

/**
 * `kairos refill --from ISO [--to ISO] [--master] [--keys a,b] [--source-test] [--target-prod]`:
 * portfolio rows (masters and composites with --master), read from and written to the
 * configured pair unless --source-test reads the test data or --target-prod writes the production mart.
 */
export const refillCommand: Command = async (args) => {
  const { values } = parseArgs({
    args,
    options: {
      master: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      keys: { type: 'string' },
      'source-test': { type: 'boolean' },
      'target-prod': { type: 'boolean' },
    },
  });
  if (!values.from) throw new CliError('--from is required (ISO-8601 time)');
  const from = new Date(values.from);
  const to = values.to ? new Date(values.to) : new Date();
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new CliError('--from and --to must be ISO-8601 times');
  const { config } = configFromEnvironment();
  const warehouse = await openConfiguredWarehouse(config);
  try {
    const started = Date.now();
    const report = await refill(
      { warehouse, openWarehouse: (isTest) => openConfiguredWarehouse(config, isTest) },
      {
        kind: values.master ? 'master' : 'portfolio',
        from,
        to,
        keys: values.keys?.split(',').map((k) => k.trim()).filter(Boolean),
        readTest: values['source-test'] ? true : undefined,
        writeTest: values['target-prod'] ? false : undefined,
        onKey: (key, rows) => process.stderr.write(`${key}: ${rows.toLocaleString('en-US')} rows computed\n`),
        onProgress: progressReporter(PROGRESS_MS, (line) => process.stderr.write(`${line}\n`)),
      },
    );
    process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 })}\n`);
    return 0;
  } finally {
    await warehouse.close();
  }
};
