import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../config/config.js';
import { CliError, type Command } from './command.js';

/** `kairos config check`: every problem at once, by variable name, never its value. */
export const configCheckCommand: Command = async (args) => {
  if (args[0] !== 'check') throw new CliError("usage: kairos config check");
  loadDotenv({ quiet: true });
  const result = loadConfig(process.env);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (!result.config) {
    process.stderr.write(`configuration is invalid:\n${result.errors.map((e) => `  - ${e}\n`).join('')}`);
    return 1;
  }
  const c = result.config;
  process.stdout.write(
    `configuration is valid: job store ${c.jobStore.kind}, warehouse ${c.warehouse.kind}${c.isTest ? ' (test databases)' : ''}, ` +
      `listening on ${c.http.host}:${c.http.port}, ${c.api.tokens.length} API token(s), jobs file ${c.jobsFile}\n`,
  );
  return 0;
};
