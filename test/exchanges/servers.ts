import type { AccountSummary } from '../../src/domain/account-summary.js';
import { createExchangeClient } from '../../src/exchanges/index.js';
import type { ExchangeCredentials, ExchangeName } from '../../src/domain/portfolio.js';
import type { ProtocolServer } from '../support/exchange-servers/base.js';
import { startBinanceServer } from '../support/exchange-servers/binance.js';
import { startBingxServer } from '../support/exchange-servers/bingx.js';
import { startBitmartServer } from '../support/exchange-servers/bitmart.js';
import { startBitmexServer } from '../support/exchange-servers/bitmex.js';
import { startBybitServer } from '../support/exchange-servers/bybit.js';
import { startOkxServer } from '../support/exchange-servers/okx.js';
import { startZoomexServer } from '../support/exchange-servers/zoomex.js';

/** Long, distinctive values so a leak into a message is found by a plain substring search. */
export const CREDENTIALS: ExchangeCredentials = {
  apiKey: 'kairos-test-key-7f3a9c01',
  apiSecret: 'kairos-test-secret-b81d44e0',
  password: 'kairos-test-passphrase-19c2',
  memo: 'kairos-test-memo-55aa',
};

export type RealExchange = Exclude<ExchangeName, 'simulated'>;

export const SERVERS: Readonly<Record<RealExchange, (c: ExchangeCredentials) => Promise<ProtocolServer>>> = {
  binance: startBinanceServer,
  bybit: startBybitServer,
  okx: startOkxServer,
  bingx: startBingxServer,
  bitmex: startBitmexServer,
  bitmart: startBitmartServer,
  zoomex: startZoomexServer,
};

/** Every credential value, for leak checks. */
export function secretsOf(...sets: ExchangeCredentials[]): string[] {
  return sets.flatMap((c) => [c.apiKey, c.apiSecret, c.password, c.memo].filter((v): v is string => v !== undefined));
}

/** One snapshot through the public factory against a protocol server. */
export async function snapshotFrom(exchange: RealExchange, server: ProtocolServer, since: Date, now: Date): Promise<AccountSummary> {
  const client = createExchangeClient(exchange, CREDENTIALS, { portfolio: `p-${exchange}`, baseUrl: server.baseUrl, timeoutMs: 2_000 });
  try {
    return await client.fetchSummary({ signal: new AbortController().signal, since, now });
  } finally {
    await client.close();
  }
}

/** Method and path of each request, in order: exactly what the adapter sends (no market loading). */
export function requestLog(server: ProtocolServer): string[] {
  return server.requests.map((r) => `${r.method} ${r.path}`);
}
