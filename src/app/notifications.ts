import type { Config } from '../config/config.js';
import { Alerter } from '../notify/alerter.js';
import type { AlertThrottleStore } from '../notify/alert-throttle-store.js';
import { DiscordLogHandler } from '../notify/discord-log-handler.js';
import { DiscordWebhook } from '../notify/discord-webhook.js';
import { DiscordWorker, type ChannelStatus } from '../notify/discord-worker.js';
import { MemoryAlertThrottleStore } from '../notify/memory-alert-throttle-store.js';
import { HostRateLimitGate } from '../notify/rate-limit-gate.js';

/**
 * The two Discord channels of the original (process notifications and
 * portfolio threshold alerts), their alerters, and the log forwarder. An
 * unset webhook leaves its channel out (null alerter): the job logs instead.
 */
export interface Notifications {
  readonly processAlerter: Alerter | null;
  readonly thresholdAlerter: Alerter | null;
  /** Forwards error-level log records to the process channel. */
  readonly logForwarder: DiscordLogHandler | undefined;
  status(): ChannelStatus[];
  /** Drains the queues for up to `timeoutMs`, then stops. */
  close(timeoutMs: number): Promise<void>;
}

export async function createNotifications(config: Config): Promise<Notifications> {
  const gate = new HostRateLimitGate();
  const { store, close: closeStore } = await openThrottleStore(config);
  const worker = (channel: string, url: string | null, codeBlock: boolean): DiscordWorker | null =>
    url === null ? null : new DiscordWorker({ channel, codeBlock, poster: new DiscordWebhook({ url, username: 'Kairos', gate }) });
  const processWorker = worker('process', config.webhooks.process, true);
  const alertWorker = worker('total_usd_value_alert', config.webhooks.totalUsdValueAlert, false);
  const workers = [processWorker, alertWorker].filter((w): w is DiscordWorker => w !== null);
  const alerter = (w: DiscordWorker | null): Alerter | null => (w === null ? null : new Alerter({ channel: w, store }));
  return {
    processAlerter: alerter(processWorker),
    thresholdAlerter: alerter(alertWorker),
    logForwarder: processWorker ? new DiscordLogHandler(processWorker) : undefined,
    status: () => workers.map((w) => w.status()),
    async close(timeoutMs) {
      await Promise.all(workers.map((w) => w.close(timeoutMs)));
      await closeStore();
    },
  };
}

/** With a PostgreSQL job store the cooldowns are shared by the cluster (no duplicate alert from two instances). */
async function openThrottleStore(config: Config): Promise<{ store: AlertThrottleStore; close(): Promise<void> }> {
  if (config.jobStore.kind !== 'postgres') return { store: new MemoryAlertThrottleStore(), close: async () => {} };
  const [{ default: pg }, { PgAlertThrottleStore }] = await Promise.all([import('pg'), import('../notify/pg-alert-throttle-store.js')]);
  const pool = new pg.Pool({ connectionString: config.jobStore.url, max: 2 });
  pool.on('error', () => {});
  const store = new PgAlertThrottleStore(pool, config.postgresSchema);
  await store.ensureSchema();
  return { store, close: () => pool.end() };
}
