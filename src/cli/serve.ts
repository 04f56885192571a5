import { createKairos } from '../app/kairos.js';
import { configFromEnvironment, type Command } from './command.js';

/** `kairos serve`: runs until SIGINT/SIGTERM, then shuts down gracefully and exits 0. */
export const serveCommand: Command = async () => {
  const { config, warnings } = configFromEnvironment();
  const kairos = await createKairos(config);
  for (const warning of warnings) kairos.logging.logger.warn(warning);
  const url = await kairos.start();
  process.stdout.write(`Kairos is running: dashboard and API at ${url}/ (API docs at ${url}/docs)\n`);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      kairos.logging.logger.info({ signal }, 'signal received');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await kairos.stop();
  return 0;
};
