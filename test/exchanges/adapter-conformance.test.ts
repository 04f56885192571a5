import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchangeClient, ExchangeError, type ExchangeClient } from '../../src/exchanges/index.js';
import type { ExchangeCredentials } from '../../src/domain/portfolio.js';
import type { ProtocolServer } from '../support/exchange-servers/base.js';
import { CREDENTIALS, SERVERS, secretsOf, type RealExchange } from './servers.js';

/**
 * What every real adapter must do against its exchange's protocol server:
 * fail with the right kind and never put a credential in the message.
 * Per-exchange mapping is tested in each exchange's own file.
 */
const freshSignal = (): AbortSignal => new AbortController().signal;
const window = { since: new Date(Date.now() - 60_000), now: new Date() };

async function failure(client: ExchangeClient, signal = freshSignal()): Promise<ExchangeError> {
  try {
    await client.fetchSummary({ signal, ...window });
  } catch (error) {
    expect(error).toBeInstanceOf(ExchangeError);
    return error as ExchangeError;
  }
  throw new Error('fetchSummary succeeded');
}

describe.each(Object.keys(SERVERS) as RealExchange[])('%s adapter conformance', (exchange) => {
  let server: ProtocolServer;
  const clients: ExchangeClient[] = [];
  const client = (credentials: ExchangeCredentials = CREDENTIALS, timeoutMs = 2_000): ExchangeClient => {
    const c = createExchangeClient(exchange, credentials, { portfolio: `p-${exchange}`, baseUrl: server.baseUrl, timeoutMs });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await SERVERS[exchange](CREDENTIALS);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  it('succeeds with the right credentials', async () => {
    const summary = await client().fetchSummary({ signal: freshSignal(), ...window });
    expect(summary.totalUsdValue).toBeGreaterThan(0);
  });

  const wrong: Array<[string, Partial<ExchangeCredentials>]> = [
    ['secret', { apiSecret: 'kairos-wrong-secret-00ff' }],
    ['key', { apiKey: 'kairos-wrong-key-00ee' }],
  ];
  if (exchange === 'okx') wrong.push(['passphrase', { password: 'kairos-wrong-pass-00dd' }]);
  if (exchange === 'bitmart') wrong.push(['memo', { memo: 'kairos-wrong-memo-00cc' }]);

  it.each(wrong)('rejects a wrong %s as auth, without any credential in the message', async (_label, override) => {
    const bad = { ...CREDENTIALS, ...override };
    const error = await failure(client(bad));
    expect(error.kind).toBe('auth');
    expect(error.retryable).toBe(false);
    for (const secret of secretsOf(CREDENTIALS, bad)) expect(error.message).not.toContain(secret);
    expect(String(error.stack)).not.toContain(bad.apiSecret);
  });

  it('reports a 429 with the exchange rate-limit body as rate_limit', async () => {
    server.inject({ kind: 'rate_limit' });
    const error = await failure(client());
    expect(error.kind).toBe('rate_limit');
    expect(error.retryable).toBe(true);
  });

  it('reports a malformed body as bad_response', async () => {
    server.inject({ kind: 'malformed' });
    expect((await failure(client())).kind).toBe('bad_response');
  });

  it('gives up after its per-call timeout', async () => {
    server.inject({ kind: 'slow', delayMs: 400 });
    const started = Date.now();
    const error = await failure(client(CREDENTIALS, 100));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(390);
  });

  it("stops when the caller's signal aborts", async () => {
    server.inject({ kind: 'slow', delayMs: 400 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(client(), controller.signal);
    expect(error.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(390);
  });
});
