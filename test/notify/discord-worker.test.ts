import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DiscordWebhook } from '../../src/notify/discord-webhook.js';
import { DiscordWorker, type DiscordWorkerOptions } from '../../src/notify/discord-worker.js';
import { DiscordTestServer } from '../support/discord-server.js';
import { ManualClock } from './support/manual-clock.js';

let discord: DiscordTestServer;
beforeAll(async () => {
  discord = await DiscordTestServer.start();
});
afterAll(() => discord.close());

function worker(options: Partial<DiscordWorkerOptions> = {}) {
  const { url, id, token } = discord.createWebhook();
  const poster = new DiscordWebhook({ url, clock: new ManualClock(), maxAttempts: 3 });
  const channel = new DiscordWorker({ channel: 'process', poster, ...options });
  const posts = () => discord.posts.filter((p) => p.webhookId === id).map((p) => p.content);
  return { channel, posts, token };
}

const FENCE = '```';
const unfence = (content: string) => content.slice(FENCE.length + 1, -(FENCE.length + 1));

describe('DiscordWorker', () => {
  test('packs short lines 50 to a post, in order', async () => {
    const { channel, posts } = worker({ codeBlock: true });
    const lines = Array.from({ length: 120 }, (_, i) => `line ${i}`);
    for (const line of lines) channel.enqueue(line);
    expect(await channel.flush()).toBe(true);
    expect(posts().map((p) => unfence(p).split('\n').length)).toEqual([50, 50, 20]);
    expect(posts().flatMap((p) => unfence(p).split('\n'))).toEqual(lines);
    expect(channel.status()).toMatchObject({ queued: 120, sent: 120, failed: 0, dropped: 0, pending: 0 });
  });

  test('keeps each post within 2,000 characters, fence included', async () => {
    const { channel, posts } = worker({ codeBlock: true });
    for (let i = 0; i < 30; i++) channel.enqueue(`${i}`.padEnd(100, '.'));
    await channel.flush();
    // 19 lines of 100 + 18 newlines + 8 for the fence = 1,926; a 20th line would make 2,027.
    expect(posts().map((p) => p.length)).toEqual([1926, 1118]);
    expect(posts().every((p) => p.startsWith(`${FENCE}\n`) && p.endsWith(`\n${FENCE}`))).toBe(true);
  });

  test('splits a line longer than a post over several posts', async () => {
    const { channel, posts } = worker({ codeBlock: true });
    const long = 'y'.repeat(5000);
    channel.enqueue(long);
    await channel.flush();
    expect(posts().map((p) => p.length)).toEqual([2000, 2000, 1024]);
    expect(posts().map(unfence).join('')).toBe(long);
  });

  test('backticks inside text never break the fence', async () => {
    const { channel, posts } = worker({ codeBlock: true });
    channel.enqueue('before ``` inside `````` after');
    await channel.flush();
    const [post] = posts();
    expect(post?.match(/```/g)).toHaveLength(2);
    expect(unfence(post!).replaceAll('\u200b', '')).toBe('before ``` inside `````` after');
  });

  test('any text: every post is valid for Discord, fenced once, and the text survives', async () => {
    const line = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.stringMatching(/^[`a-z]{0,3000}$/));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 70 }), async (lines) => {
        const { channel, posts } = worker({ codeBlock: true, maxQueuedLines: 10_000 });
        const text = lines.join('\n');
        channel.enqueue(text);
        await channel.flush();
        for (const post of posts()) {
          expect(post.length).toBeLessThanOrEqual(2000);
          expect(unfence(post).split('\n').length).toBeLessThanOrEqual(50);
          expect(post.match(/```/g)).toHaveLength(2);
        }
        if (text.trim() !== '') expect(channel.status()).toMatchObject({ failed: 0, dropped: 0 });
        const received = posts().map(unfence).join('\n').replaceAll('\u200b', '');
        // Pieces of a split line arrive as consecutive lines: compare without line breaks.
        expect(received.replaceAll('\n', '')).toBe(text.trim() === '' ? '' : text.replaceAll('\r', '').replaceAll('\n', ''));
      }),
      { numRuns: 25 },
    );
  });

  test('plain channels post without a fence', async () => {
    const { channel, posts } = worker();
    channel.enqueue('a');
    channel.enqueue('b');
    await channel.flush();
    expect(posts()).toEqual(['a\nb']);
  });

  test('lines for different threads never share a post', async () => {
    const { channel } = worker();
    const before = discord.posts.length;
    channel.enqueue('channel');
    channel.enqueue('thread', { threadId: '111111111111111111' });
    channel.enqueue('thread again', { threadId: '111111111111111111' });
    await channel.flush();
    expect(discord.posts.slice(before).map((p) => [p.threadId, p.content])).toEqual([
      [null, 'channel'],
      ['111111111111111111', 'thread\nthread again'],
    ]);
  });

  test('a full queue drops new messages whole, and counts them', async () => {
    const { channel, posts } = worker({ maxQueuedLines: 5 });
    const accepted = Array.from({ length: 8 }, (_, i) => channel.enqueue(`m${i}`));
    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    expect(channel.enqueue('two\nlines')).toBe(false);
    await channel.flush();
    expect(posts()).toEqual(['m0\nm1\nm2\nm3\nm4']);
    expect(channel.status()).toMatchObject({ queued: 5, sent: 5, dropped: 5 });
  });

  test('an outage (server errors past the transport retries) delays posts but loses none, in order', async () => {
    const { channel, posts } = worker({ outageRetryMs: 5 });
    discord.enqueue(...Array.from({ length: 7 }, () => ({ kind: 'server-error' as const })));
    channel.enqueue('first');
    await new Promise((r) => setImmediate(r));
    channel.enqueue('second');
    expect(await channel.flush(10_000)).toBe(true);
    expect(posts().join('\n').split('\n')).toEqual(['first', 'second']);
    expect(channel.status()).toMatchObject({ sent: 2, failed: 0, dropped: 0, lastError: 'Discord post gave up after 3 attempts: HTTP 500' });
  });

  test('a post Discord rejects (unknown webhook, 404) is counted as failed at once and the worker goes on', async () => {
    const poster = new DiscordWebhook({ url: `${discord.origin}/api/webhooks/1/not-a-registered-token`, clock: new ManualClock(), maxAttempts: 3 });
    const channel = new DiscordWorker({ channel: 'process', poster });
    channel.enqueue('lost');
    expect(await channel.flush(2_000)).toBe(true);
    channel.enqueue('also lost');
    expect(await channel.flush(2_000)).toBe(true);
    expect(channel.status()).toMatchObject({ sent: 0, failed: 2, pending: 0 });
    expect(channel.status().lastError).toMatch(/HTTP 404/);
  });

  test('secrets in queued text are redacted before posting', async () => {
    const { channel, posts } = worker();
    const other = discord.createWebhook();
    channel.enqueue(`see ${other.url} and postgres://etl:hunter2@db/warehouse`);
    await channel.flush();
    expect(posts()).toEqual([`see ${discord.origin}/api/webhooks/[redacted] and postgres://etl:[redacted]@db/warehouse`]);
  });

  test('close drains what is queued, then refuses more', async () => {
    const { channel, posts } = worker();
    for (let i = 0; i < 60; i++) channel.enqueue(`${i}`);
    await channel.close();
    expect(posts()).toHaveLength(2);
    expect(channel.enqueue('late')).toBe(false);
    expect(channel.status()).toMatchObject({ sent: 60, dropped: 1, pending: 0 });
  });

  test('a close that times out aborts the post in flight and discards the rest', async () => {
    const { channel } = worker();
    discord.enqueue({ kind: 'delay', ms: 5000 });
    channel.enqueue('slow');
    await new Promise((resolve) => setImmediate(resolve)); // let the loop take "slow"
    channel.enqueue('waiting');
    await channel.close(100);
    expect(channel.status()).toMatchObject({ sent: 0, failed: 1, dropped: 1, pending: 0, lastError: 'Discord post aborted' });
  });

  test('flush reports a timeout', async () => {
    const { channel } = worker();
    discord.enqueue({ kind: 'delay', ms: 300 });
    channel.enqueue('slow');
    expect(await channel.flush(50)).toBe(false);
    expect(await channel.flush()).toBe(true);
  });
});
