import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AlertThrottleStore } from '../../src/notify/alert-throttle-store.js';
import { Alerter, SEVERITY_EMOJI } from '../../src/notify/alerter.js';
import { DiscordWebhook } from '../../src/notify/discord-webhook.js';
import { DiscordWorker } from '../../src/notify/discord-worker.js';
import { MemoryAlertThrottleStore } from '../../src/notify/memory-alert-throttle-store.js';
import { PgAlertThrottleStore } from '../../src/notify/pg-alert-throttle-store.js';
import { createTestDatabase } from '../support/pg.js';
import { DiscordTestServer } from '../support/discord-server.js';
import { ManualClock } from './support/manual-clock.js';

let discord: DiscordTestServer;
let pools: pg.Pool[] = [];
beforeAll(async () => {
  discord = await DiscordTestServer.start();
  const url = await createTestDatabase('notify_alerts');
  // Two pools stand for two Kairos processes sharing one database.
  pools = [new pg.Pool({ connectionString: url, max: 4 }), new pg.Pool({ connectionString: url, max: 4 })];
});
afterAll(async () => {
  await discord.close();
  await Promise.all(pools.map((pool) => pool.end()));
});

/** Two alerters, as in two processes, each with its own channel worker, sharing one clock. */
function twoAlerters(stores: [AlertThrottleStore, AlertThrottleStore]) {
  const { url, id } = discord.createWebhook();
  const clock = new ManualClock();
  const workers = stores.map(
    (_, i) => new DiscordWorker({ channel: `alerts-${i}`, poster: new DiscordWebhook({ url, clock }) }),
  );
  const alerters = stores.map((store, i) => new Alerter({ channel: workers[i]!, store, now: () => clock.now() }));
  const posts = async () => {
    await Promise.all(workers.map((w) => w.flush()));
    return discord.posts.filter((p) => p.webhookId === id).map((p) => p.content);
  };
  return { alerters: alerters as [Alerter, Alerter], clock, posts };
}

const suites: [string, () => Promise<[AlertThrottleStore, AlertThrottleStore]>][] = [
  [
    'in memory, shared by the alerters of a process',
    async () => {
      const store = new MemoryAlertThrottleStore();
      return [store, store];
    },
  ],
  [
    'in PostgreSQL, shared by two processes',
    async () => {
      const stores = pools.map((pool) => new PgAlertThrottleStore(pool, 'kairos_alerts')) as [PgAlertThrottleStore, PgAlertThrottleStore];
      // Both processes start at once: creating the table must not race.
      await Promise.all(stores.map((store) => store.ensureSchema()));
      return stores;
    },
  ],
];

describe.each(suites)('Alerter with throttle state %s', (_, makeStores) => {
  let stores: [AlertThrottleStore, AlertThrottleStore];
  let keyCount = 0;
  const freshKey = () => `portfolio-${++keyCount}-${Math.random().toString(36).slice(2)}`;
  beforeAll(async () => {
    stores = await makeStores();
  });

  test('within the cooldown the same alert goes out once, whichever alerter raises it', async () => {
    const { alerters, clock, posts } = twoAlerters(stores);
    const key = freshKey();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => alerters[i % 2]!.trigger(key, 'NAV below threshold', { severity: 'critical' })),
    );
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'suppressed')).toHaveLength(9);
    clock.advance(59_999);
    expect(await alerters[1].trigger(key, 'NAV below threshold')).toBe('suppressed');
    clock.advance(1);
    expect(await alerters[1].trigger(key, 'NAV below threshold', { severity: 'critical' })).toBe('sent');
    expect(await posts()).toEqual(['🚨 **CRITICAL** NAV below threshold', '🚨 **CRITICAL** NAV below threshold']);
  });

  test('with dedupe on, a different message under the same key still goes out', async () => {
    const { alerters } = twoAlerters(stores);
    const key = freshKey();
    expect(await alerters[0].trigger(key, 'value 100')).toBe('sent');
    expect(await alerters[1].trigger(key, 'value 90')).toBe('sent');
    expect(await alerters[0].trigger(key, 'value 90')).toBe('suppressed');
  });

  test('with dedupe off, the key alone is throttled', async () => {
    const { alerters, clock } = twoAlerters(stores);
    const key = freshKey();
    expect(await alerters[0].trigger(key, 'value 100', { dedupe: false, cooldownSec: 10 })).toBe('sent');
    expect(await alerters[1].trigger(key, 'value 90', { dedupe: false, cooldownSec: 10 })).toBe('suppressed');
    clock.advance(10_000);
    expect(await alerters[1].trigger(key, 'value 80', { dedupe: false, cooldownSec: 10 })).toBe('sent');
  });

  test('keys are throttled independently', async () => {
    const { alerters } = twoAlerters(stores);
    const [a, b] = [freshKey(), freshKey()];
    expect(await alerters[0].trigger(a, 'same')).toBe('sent');
    expect(await alerters[1].trigger(b, 'same')).toBe('sent');
  });
});

describe('Alerter', () => {
  test('every severity has its own emoji and reaches the thread asked for', async () => {
    expect(new Set(Object.values(SEVERITY_EMOJI)).size).toBe(6);
    const { url, id } = discord.createWebhook();
    const worker = new DiscordWorker({ channel: 'alerts', poster: new DiscordWebhook({ url }) });
    const alerter = new Alerter({ channel: worker, store: new MemoryAlertThrottleStore() });
    await alerter.trigger('k', 'in a thread', { severity: 'info', threadId: '424242424242424242' });
    await worker.flush();
    const post = discord.posts.find((p) => p.webhookId === id);
    expect([post?.threadId, post?.content]).toEqual(['424242424242424242', 'ℹ️ **INFO** in a thread']);
  });

  test('when the store fails the alert goes out anyway and the failure is reported', async () => {
    const brokenPool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const errors: unknown[] = [];
    const sent: string[] = [];
    const alerter = new Alerter({
      channel: { enqueue: (text) => sent.push(text) > 0 },
      store: new PgAlertThrottleStore(brokenPool),
      onStoreError: (err) => errors.push(err),
    });
    expect(await alerter.trigger('k', 'db down')).toBe('sent');
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(['⚠️ **WARNING** db down']);
    await brokenPool.end();
  });

  test('a schema name that is not a plain identifier is refused', () => {
    expect(() => new PgAlertThrottleStore(pools[0]!, 'x; DROP TABLE y')).toThrow('is not a plain lower-case SQL identifier');
  });
});
