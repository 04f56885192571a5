import { parseArgs } from 'node:util';
import { previewFireTimes, TriggerSpecError } from '../scheduler/triggers/index.js';
import { iso } from '../shared/iso-time.js';
import { CliError, type Command } from './command.js';

/** `kairos schedule preview --spec JSON --from ISO --count N`: one JSON array of UTC ISO times. */
export const schedulePreviewCommand: Command = async (args) => {
  if (args[0] !== 'preview') throw new CliError('usage: kairos schedule preview --spec JSON [--from ISO] [--count N]');
  const { values } = parseArgs({
    args: args.slice(1),
    options: { spec: { type: 'string' }, from: { type: 'string' }, count: { type: 'string', default: '10' } },
  });
  if (!values.spec) throw new CliError('--spec is required, e.g. --spec \'{"trigger":"cron","second":"*/10"}\'');
  let spec: unknown;
  try {
    spec = JSON.parse(values.spec);
  } catch (error) {
    throw new CliError(`--spec is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof spec !== 'object' || spec === null || typeof (spec as { trigger?: unknown }).trigger !== 'string') {
    throw new CliError('--spec must be a JSON object with a "trigger" of cron, interval or date');
  }
  const from = values.from === undefined ? new Date() : new Date(values.from);
  if (Number.isNaN(from.getTime())) throw new CliError(`--from is not an ISO-8601 time: ${values.from}`);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 0 || count > 10_000) throw new CliError('--count must be a whole number from 0 to 10000');
  try {
    const times = previewFireTimes(spec as { trigger: string }, from, count);
    process.stdout.write(`${JSON.stringify(times.map(iso))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof TriggerSpecError) throw new CliError(`invalid trigger spec: ${error.message}`);
    throw error;
  }
};
