import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DiscordDeliveryError, DiscordWebhook, type DiscordWebhookOptions } from '../../src/notify/discord-webhook.js';
import { HostRateLimitGate } from '../../src/notify/rate-limit-gate.js';
import { parseWebhookUrl, redactWebhookUrl } from '../../src/notify/webhook-url.js';
import { DiscordTestServer } from '../support/discord-server.js';
import { ManualClock } from './support/manual-clock.js';

let discord: DiscordTestServer;
beforeAll(async () => {
  discord = await DiscordTestServer.start();
});
afterAll(() => discord.close());

function webhook(options: Partial<DiscordWebhookOptions> = {}) {
  const { url, token } = discord.createWebhook();
  const clock = new ManualClock();
  const hook = new DiscordWebhook({ url, clock, backoffBaseMs: 100, backoffMaxMs: 250, ...options });
  return { hook, clock, url, token };
}

function postsTo(url: string) {
  const id = url.split('/').at(-2);
  return discord.posts.filter((p) => p.webhookId === id);
}

describe('DiscordWebhook', () => {
  test('posts content with no mentions, the username, avatar, thread and wait, and returns the message id', async () => {
    const { hook, url } = webhook({ username: 'Kairos', avatarUrl: 'https://example.com/k.png', wait: true });
    const receipt = await hook.post({ content: 'hello @everyone', threadId: '123456789012345678' });
    const [post] = postsTo(url);
    expect(post?.body).toEqual({
      content: 'hello @everyone',
      allowed_mentions: { parse: [] },
      username: 'Kairos',
      avatar_url: 'https://example.com/k.png',
    });
    expect(post?.threadId).toBe('123456789012345678');
    expect(post?.wait).toBe(true);
    expect(receipt).toEqual({ messageId: expect.stringMatching(/^\d+$/), attempts: 1 });
  });

  test('without wait, Discord answers 204 and there is no message id', async () => {
    const { hook } = webhook();
    expect(await hook.post({ content: 'x' })).toEqual({ messageId: null, attempts: 1 });
  });

  test.each([
    ['body', 2.5, 2500],
    ['header', 3, 3000],
  ] as const)('a 429 with retry_after in the %s waits that long, then retries', async (via, seconds, ms) => {
    const { hook, clock, url } = webhook();
    const retries: string[] = [];
    discord.enqueue({ kind: 'rate-limit', via, retryAfterSec: seconds });
    const receipt = await hook.post({ content: 'after the limit' }, { onRetry: (r) => retries.push(r) });
    expect(clock.sleeps).toEqual([ms]);
    expect(retries).toEqual([`HTTP 429 (retry after ${ms} ms)`]);
    expect(receipt.attempts).toBe(2);
    expect(postsTo(url).map((p) => p.content)).toEqual(['after the limit']);
  });

  test('a global 429 holds every webhook on the host until it expires', async () => {
    const gate = new HostRateLimitGate();
    const clock = new ManualClock();
    const first = new DiscordWebhook({ url: discord.createWebhook().url, clock, gate });
    const second = new DiscordWebhook({ url: discord.createWebhook().url, clock, gate });
    discord.enqueue({ kind: 'rate-limit', via: 'body', retryAfterSec: 5, global: true });
    await first.post({ content: 'one' });
    expect(clock.sleeps).toEqual([5000]); // the rate-limited webhook itself
    await second.post({ content: 'two' });
    expect(clock.sleeps).toEqual([5000, 5000]); // and the other one: the pause is per host
    clock.advance(5000);
    await second.post({ content: 'three' });
    expect(clock.sleeps).toEqual([5000, 5000]);
  });

  test('5xx responses back off exponentially (capped) and give up after maxAttempts, naming no URL', async () => {
    const { hook, clock, url, token } = webhook({ maxAttempts: 4 });
    discord.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'server-error' as const, status: 502 })));
    const error = await hook.post({ content: 'lost' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordDeliveryError);
    expect((error as Error).message).toBe('Discord post gave up after 4 attempts: HTTP 502');
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(token);
    expect(clock.sleeps).toEqual([100, 200, 250]);
    expect(postsTo(url)).toEqual([]);
  });

  test('a 4xx other than 429 fails at once with Discord\'s reason', async () => {
    const { url } = discord.createWebhook();
    const clock = new ManualClock();
    const wrongToken = new DiscordWebhook({ url: `${url.slice(0, url.lastIndexOf('/'))}/not-the-token`, clock });
    const before = discord.requestCount;
    await expect(wrongToken.post({ content: 'x' })).rejects.toThrow(
      'Discord rejected the post: HTTP 401 (code 50027: Invalid Webhook Token)',
    );
    expect(discord.requestCount - before).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('a request that outlives timeoutMs is abandoned and retried', async () => {
    const { hook, clock, url } = webhook({ timeoutMs: 150 });
    discord.enqueue({ kind: 'delay', ms: 2000 });
    const retries: string[] = [];
    await hook.post({ content: 'eventually' }, { onRetry: (r) => retries.push(r) });
    expect(retries).toEqual(['no response within 150 ms']);
    expect(clock.sleeps).toEqual([100]);
    expect(postsTo(url).map((p) => p.content)).toEqual(['eventually']);
  });

  test('network errors are retried, then reported by code without the address', async () => {
    const port = await closedPort();
    const clock = new ManualClock();
    const hook = new DiscordWebhook({ url: `http://127.0.0.1:${port}/api/webhooks/1/secret-token`, clock, maxAttempts: 2 });
    await expect(hook.post({ content: 'x' })).rejects.toThrow('Discord post gave up after 2 attempts: network error (ECONNREFUSED)');
  });

  test('posts leave in call order even when an earlier one is being retried', async () => {
    const { hook, url } = webhook();
    discord.enqueue({ kind: 'server-error' });
    await Promise.all(['1', '2', '3'].map((content) => hook.post({ content })));
    expect(postsTo(url).map((p) => p.content)).toEqual(['1', '2', '3']);
  });

  test('an abort stops the retries', async () => {
    const controller = new AbortController();
    const { hook } = webhook();
    discord.enqueue({ kind: 'server-error' });
    const posting = hook.post({ content: 'x' }, { signal: controller.signal, onRetry: () => controller.abort() });
    await expect(posting).rejects.toThrow('Discord post aborted');
  });
});

describe('webhook URLs', () => {
  test('redactWebhookUrl keeps only the origin', () => {
    expect(redactWebhookUrl('https://discord.com/api/webhooks/123/abc-DEF')).toBe('https://discord.com/api/webhooks/[redacted]');
    expect(redactWebhookUrl('not a url abc-DEF')).toBe('[redacted] webhook URL');
  });

  test('an invalid webhook URL is refused without being repeated', () => {
    const secret = 'https://discord.com/api/hooks/123/s3cr3t';
    expect(() => parseWebhookUrl(secret, 'ETL_PROCESS_WEBHOOK')).toThrow(
      'ETL_PROCESS_WEBHOOK is not a Discord webhook URL; expected https://discord.com/api/webhooks/<id>/<token>',
    );
    expect(() => new DiscordWebhook({ url: 's3cr3t' })).toThrow(/^webhook URL is not a URL/);
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
