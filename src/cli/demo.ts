import { parseArgs } from 'node:util';
import { openConfiguredWarehouse } from '../app/warehouse.js';
import { seedDemoPortfolios } from '../demo/seed-demo.js';
import { CliError, configFromEnvironment, type Command } from './command.js';

/** `kairos demo seed [--force]`: demo portfolios on the simulated exchange, into the configured warehouse. */
export const demoCommand: Command = async (args) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
  if (positionals[0] !== 'seed') throw new CliError('usage: kairos demo seed [--force]');
  const { config } = configFromEnvironment();
  const warehouse = await openConfiguredWarehouse(config);
  try {
    const { created } = await seedDemoPortfolios(warehouse, { force: values.force });
    process.stdout.write(created.length ? `seeded: ${created.map((p) => p.portfolio).join(', ')}\n` : 'portfolios exist; nothing seeded (use --force to add the demo set beside them)\n');
    return 0;
  } finally {
    await warehouse.close();
  }
};
