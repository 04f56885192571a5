import { afterEach, describe, expect, it } from 'vitest';
import type { ProtocolServer } from '../support/exchange-servers/base.js';
import { CREDENTIALS, requestLog, SERVERS, snapshotFrom, type RealExchange } from './servers.js';

/** Adapters whose exchange reports amounts only, priced by a ticker per SPEC 12; none reads transfers. */
const since = new Date(Date.now() - 60_000);
const now = new Date();
let server: ProtocolServer | undefined;
afterEach(() => server?.close());

async function run(exchange: RealExchange) {
  server = await SERVERS[exchange](CREDENTIALS);
  return snapshotFrom(exchange, server, since, now);
}

describe('binance adapter', () => {
  it('values free+locked spot balances by <ASSET>USDT and skips unpriceable assets', async () => {
    const summary = await run('binance');
    // Recorded: BTC 0 (omitted by omitZeroBalances), LTC 0.919741 (no LTCUSDT price recorded), ETH 0.02229833.
    const eth = 0.02229833 * 3820.06;
    expect(summary.balances).toEqual({ ETH: { total: 0.02229833, available: 0.02229833, notional: eth, liability: 0, interest: 0 } });
    expect(summary.totalUsdValue).toBe(eth);
    expect(summary.transferAdjustment).toBe(0);
    expect(requestLog(server!)).toEqual(['GET /api/v3/account', 'GET /api/v3/ticker/price']);
  });
});

describe('bingx adapter', () => {
  it('maps the perpetual account (balance, availableMargin, equity, realisedProfit); total is the sum of equity', async () => {
    const summary = await run('bingx');
    expect(summary.balances).toEqual({ USDT: { total: 194.8212, available: 193.7609, notional: 196.7431, liability: -109.2504, interest: 0 } });
    expect(summary.totalUsdValue).toBe(196.7431);
    expect(summary.transferAdjustment).toBe(0);
    expect(requestLog(server!)).toEqual(['GET /openApi/swap/v3/user/balance']);
  });
});

describe('bitmex adapter', () => {
  it('scales margin balances (XBt 1e-8, USDt 1e-6) and prices XBT by XBT_USDT', async () => {
    const summary = await run('bitmex');
    const xbt = 0.12345678 * 67186.5;
    expect(summary.balances['XBT']).toEqual({ total: 0.12345678, available: 0.1, notional: xbt, liability: 0, interest: 0 });
    expect(summary.balances['USDT']).toEqual({ total: 250.5, available: 200, notional: 250.5, liability: 0, interest: 0 });
    expect(summary.totalUsdValue).toBeCloseTo(xbt + 250.5, 9);
    expect(summary.transferAdjustment).toBe(0);
    expect(requestLog(server!)).toEqual(['GET /api/v1/user/margin', 'GET /api/v1/instrument']);
    expect(server!.requests[1]!.query.get('symbol')).toBe('XBT_USDT');
  });
});

describe('bitmart adapter', () => {
  it('values the spot wallet by <BASE>_USDT tickers and skips pairs BitMart rejects', async () => {
    const summary = await run('bitmart');
    // Recorded wallet: TRX, ADA, LTC have no recorded ticker; USDT counts at 1; BTC at 71257.99.
    const btc = 0.00039 * 71257.99;
    expect(summary.balances).toEqual({
      USDT: { total: 19.62994956, available: 19.62994956, notional: 19.62994956, liability: 0, interest: 0 },
      BTC: { total: 0.00039, available: 0.00039, notional: btc, liability: 0, interest: 0 },
    });
    expect(summary.totalUsdValue).toBeCloseTo(19.62994956 + btc, 9);
    expect(summary.transferAdjustment).toBe(0);
    expect(server!.requests.map((r) => r.query.get('symbol'))).toEqual([null, 'TRX_USDT', 'ADA_USDT', 'LTC_USDT', 'BTC_USDT']);
  });
});
