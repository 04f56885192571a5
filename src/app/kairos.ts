import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { buildApi, type Api } from '../api/server.js';
import { isLoopback, type Config } from '../config/config.js';
import { loadJobsFile } from '../jobs-file/load-jobs-file.js';
import { createLogging, type Logging } from '../observability/logging/create-logging.js';
import { JobTypeRegistry } from '../scheduler/job-type-registry.js';
import { StaleDeployError } from '../scheduler/deploy-stamp.js';
import { FreshnessMonitor } from '../scheduler/freshness.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ReconcileDiff } from '../scheduler/store.js';
import { demoSeedApplies, seedDemoPortfolios } from '../demo/seed-demo.js';
import { openJobStore } from './job-store.js';
import { createNotifications } from './notifications.js';
import { openConfiguredWarehouse } from './warehouse.js';
import { registerBuiltInJobTypes } from './job-types.js';
import { KAIROS_VERSION } from './version.js';

export interface Kairos {
  readonly config: Config;
  readonly logging: Logging;
  readonly scheduler: Scheduler;
  readonly api: Api;
  readonly app: FastifyInstance;
  /** Starts dispatching and listening; resolves with the URL it listens on. */
  start(): Promise<string>;
  /** Graceful shutdown: stop fires, drain runs (grace period), close clients, stores and logs. Idempotent. */
  stop(): Promise<void>;
  reload(): Promise<ReconcileDiff>;
}

/** The composition root: the one place that reads configuration and wires the parts. */
export async function createKairos(config: Config): Promise<Kairos> {
  const notifications = await createNotifications(config);
  const logging = createLogging({
    dir: config.log.dir,
    level: config.log.level,
    console: config.log.console,
    ...(notifications.logForwarder ? { forward: notifications.logForwarder } : {}),
  });
  const logger = logging.logger;
  const store = await openJobStore(config);
  if (config.autoMigrate) await store.migrate();
  const warehouse = await openConfiguredWarehouse(config, config.isTest, (message) => logger.warn(message));
  const registry = new JobTypeRegistry();
  registerBuiltInJobTypes(registry, {
    warehouse,
    openWarehouse: (isTest) => openConfiguredWarehouse(config, isTest),
    thresholdAlerter: notifications.thresholdAlerter,
    processAlerter: notifications.processAlerter,
  });
  if (demoSeedApplies(config.demoSeed, config.warehouse.kind)) {
    const { created } = await seedDemoPortfolios(warehouse);
    if (created.length) logger.info({ portfolios: created.map((p) => p.portfolio) }, 'seeded demo portfolios on the simulated exchange (KAIROS_DEMO_SEED=never to disable)');
  }
  const scheduler = new Scheduler({
    store,
    resolveJobType: (func) => registry.get(func),
    logger,
    runLogger: (bindings) => logging.forRun(bindings),
    timezone: config.timezone,
    version: KAIROS_VERSION,
    runRetentionMs: config.runRetentionDays * 86_400_000,
    leaseMs: config.leaseMs,
    heartbeatMs: Math.max(1000, Math.floor(config.leaseMs / 6)),
    // More than a claim takes on a busy host, small enough that a paused or deleted job is rarely claimed already.
    claimAheadMs: 100,
  });
  const reload = async (): Promise<ReconcileDiff> => {
    const definitions = await loadJobsFile(config.jobsFile, registry, (def) => scheduler.validateDefinition(def));
    const diff = await scheduler.reconcile(definitions, (await stat(config.jobsFile)).mtimeMs);
    logger.info({ ...diff }, 'jobs reconciled with %s', config.jobsFile);
    return diff;
  };
  await reload().catch((error: unknown) => {
    // A rolling deploy: another instance already applied a newer jobs.yaml; run with the stored definitions.
    if (!(error instanceof StaleDeployError)) throw error;
    logger.warn(error.message);
  });
  const freshness = new FreshnessMonitor({
    listWatchedJobs: () => scheduler.listWatchedJobs(),
    jobStats: (ids) => scheduler.jobStats(ids),
    events: scheduler.events,
    sink: notifications.processAlerter,
    logger,
  });
  const api = await buildApi({ scheduler, reload, auth: config.api, logger, version: KAIROS_VERSION, jobTypes: () => registry.all(), diskPath: config.diskPath, notifyStatus: () => notifications.status(), warehouse });

  let stopping: Promise<void> | null = null;
  return {
    config,
    logging,
    scheduler,
    api,
    app: api.app,
    async start() {
      if (!config.api.tokens.length) {
        if (!isLoopback(config.http.host)) throw new Error('refusing to listen on a non-loopback address without KAIROS_API_TOKEN');
        logger.warn('no KAIROS_API_TOKEN configured: listening on %s only, without authentication', config.http.host);
      }
      await scheduler.start();
      freshness.start();
      const url = await api.app.listen({ host: config.http.host, port: config.http.port });
      logger.info({ url, jobStore: config.jobStore.kind, jobs: (await scheduler.status()).jobCount }, 'Kairos is running at %s', url);
      return url;
    },
    stop() {
      stopping ??= (async () => {
        logger.info({ graceMs: config.shutdownGraceMs }, 'shutting down: no new fires; waiting for running jobs');
        freshness.stop();
        api.events.closeAll();
        await scheduler.stop(config.shutdownGraceMs);
        await api.app.close();
        await store.close();
        await warehouse.close();
        logger.info('stopped');
        await logging.close();
        await notifications.close(5_000);
      })();
      return stopping;
    },
    reload,
  };
}
