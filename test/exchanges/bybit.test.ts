import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BybitFamilyServer } from '../support/exchange-servers/bybit-family.js';
import { startBybitServer } from '../support/exchange-servers/bybit.js';
import { startZoomexServer } from '../support/exchange-servers/zoomex.js';
import { CREDENTIALS, requestLog, snapshotFrom } from './servers.js';

// The recorded transfer (10 USDT out of the wallet to FUND) is at this instant.
const TRANSFER_TS = 1722865698000;
const since = new Date(TRANSFER_TS - 30_000);
const now = new Date(TRANSFER_TS + 30_000);
const BTC_PRICE = 82669.24739887 / 0.85581394; // usdValue / equity of the recorded BTC row

describe('bybit adapter', () => {
  let server: BybitFamilyServer;
  beforeAll(async () => {
    server = await startBybitServer(CREDENTIALS);
    server.transfers.push(
      { transferId: 't-in', coin: 'BTC', amount: '0.1', fromAccountType: 'FUND', toAccountType: 'UNIFIED', timestamp: String(TRANSFER_TS + 1_000), status: 'SUCCESS' },
      { transferId: 't-old', coin: 'USDT', amount: '999', fromAccountType: 'FUND', toAccountType: 'UNIFIED', timestamp: String(TRANSFER_TS - 120_000), status: 'SUCCESS' },
      { transferId: 't-failed', coin: 'USDT', amount: '555', fromAccountType: 'UNIFIED', toAccountType: 'FUND', timestamp: String(TRANSFER_TS + 2_000), status: 'FAILED' },
    );
  });
  afterAll(() => server.close());

  it('maps the unified wallet per SPEC 12 (walletBalance, equity, usdValue, cumRealisedPnl, accruedInterest)', async () => {
    const summary = await snapshotFrom('bybit', server, since, now);
    expect(summary.totalUsdValue).toBe(92255.96988644);
    expect(Object.keys(summary.balances).sort()).toEqual(['ADA', 'BTC', 'ETH', 'LTC', 'USDC', 'USDT', 'XRP']);
    expect(summary.balances['USDT']).toEqual({
      total: 3322.25896609,
      available: 3304.29766609,
      notional: 3304.05314806,
      liability: -10225.43901403,
      interest: 0,
    });
    expect(summary.balances['BTC']).toEqual({ total: 0.85581394, available: 0.85581394, notional: 82669.24739887, liability: -0.00190505, interest: 0 });
    // 10 USDT out of UNIFIED counts +10; 0.1 BTC into it counts -0.1 x price.
    expect(summary.transferAdjustment).toBeCloseTo(10 - 0.1 * BTC_PRICE, 6);
  });

  it('reads only the wallet and the settled transfers of the window (no market loading)', async () => {
    server.requests.length = 0;
    await snapshotFrom('bybit', server, since, now);
    expect(requestLog(server)).toEqual(['GET /v5/account/wallet-balance', 'GET /v5/asset/transfer/query-inter-transfer-list']);
    const q = server.requests[1]!.query;
    expect([q.get('startTime'), q.get('endTime'), q.get('status')]).toEqual([String(since.getTime()), String(now.getTime()), 'SUCCESS']);
  });
});

describe('zoomex adapter', () => {
  let server: BybitFamilyServer;
  beforeAll(async () => {
    server = await startZoomexServer(CREDENTIALS);
  });
  afterAll(() => server.close());

  it('sums coin USD values (USDC, which has none, at 1) and counts transfers out of CONTRACT positive', async () => {
    const summary = await snapshotFrom('zoomex', server, since, now);
    const usdc = 5848.53933918; // equity x 1
    const others = 82669.24739887 + 294.05285546 + 37.93302931 + 98.98308977 + 3304.05314806 + 2.10828867;
    expect(summary.totalUsdValue).toBeCloseTo(usdc + others, 8);
    expect(summary.balances['USDC']).toEqual({ total: 5848.20013918, available: 5848.53933918, notional: 5848.53933918, liability: 6393.66232648, interest: 0 });
    expect(summary.transferAdjustment).toBe(10);
    expect(requestLog(server)).toEqual([
      'GET /cloud/trade/v3/account/wallet-balance',
      'GET /cloud/trade/v3/asset/transfer/query-inter-transfer-list',
    ]);
    expect(server.requests[0]!.query.get('accountType')).toBe('CONTRACT');
  });
});
