import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkxServer, type OkxServer } from '../support/exchange-servers/okx.js';
import { CREDENTIALS, requestLog, snapshotFrom } from './servers.js';

// The recorded transfer bill (USDT +1 from funding "6" into trading "18") is at this instant.
const BILL_TS = 1706789749511;
const since = new Date(BILL_TS - 30_000);
const now = new Date(BILL_TS + 30_000);

describe('okx adapter', () => {
  let server: OkxServer;
  beforeAll(async () => {
    server = await startOkxServer(CREDENTIALS);
    server.bills.push(
      // BTC moved out of the trading account inside the window.
      { ccy: 'BTC', balChg: '-0.5', type: '1', ts: String(BILL_TS + 1_000), from: '18', to: '6' },
      // Outside the window, and a trade bill inside it: neither counts.
      { ccy: 'USDT', balChg: '500', type: '1', ts: String(BILL_TS - 120_000), from: '6', to: '18' },
      { ccy: 'USDT', balChg: '-70', type: '2', ts: String(BILL_TS + 2_000), from: '', to: '' },
    );
  });
  afterAll(() => server.close());

  it('maps account/balance per SPEC 12 and values transfer bills by sign', async () => {
    const summary = await snapshotFrom('okx', server, since, now);

    expect(summary.totalUsdValue).toBe(43749472.35962724);
    expect(Object.keys(summary.balances)).toHaveLength(13);
    expect(summary.balances['BTC']).toEqual({
      total: 1.06126645222,
      available: 0.6612664522199999,
      notional: 125184.76204432153,
      liability: 0,
      interest: 0,
    });
    expect(summary.balances['LTC']).toEqual({ total: 10.29979, available: 10.19979, notional: 996.8136762, liability: 0, interest: 0 });
    expect(summary.balances['USDT']).toEqual({ total: 0.000258796, available: 0, notional: 0.00025882964348, liability: 0, interest: 0 });

    // USDT +1 into trading counts -1; 0.5 BTC out counts +0.5 x (eqUsd / eq).
    const btcPrice = 125184.76204432153 / 1.06126645222;
    expect(summary.transferAdjustment).toBeCloseTo(-1 + 0.5 * btcPrice, 6);
  });

  it('asks for transfer bills of the window only, and nothing else', async () => {
    server.requests.length = 0;
    await snapshotFrom('okx', server, since, now);
    expect(requestLog(server)).toEqual(['GET /api/v5/account/balance', 'GET /api/v5/account/bills']);
    const bills = server.requests[1]!.query;
    expect([bills.get('type'), bills.get('begin'), bills.get('end')]).toEqual(['1', String(since.getTime()), String(now.getTime())]);
  });
});
