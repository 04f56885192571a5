import { config as loadDotenv } from 'dotenv';
import { loadConfig, type Config } from '../config/config.js';

/** A CLI command: receives its arguments, returns the exit code. */
export type Command = (args: string[]) => Promise<number>;

/** An expected failure: printed as its message, without a stack. */
export class CliError extends Error {}

/** Reads `.env` (without overriding the environment) and the configuration; throws listing every problem. */
export function configFromEnvironment(): { config: Config; warnings: readonly string[] } {
  loadDotenv({ quiet: true });
  const result = loadConfig(process.env);
  if (!result.config) throw new CliError(`invalid configuration:\n  - ${result.errors.join('\n  - ')}`);
  return { config: result.config, warnings: result.warnings };
}
