import { z } from 'zod';
import type { ExchangeCredentials } from '../domain/portfolio.js';
import { createCcxt } from './ccxt-client.js';
import { parseResponse } from './parse-response.js';
import { decimal, STABLE_COINS, summarize, sumNotional, type AssetRow } from './summary.js';
import type { ExchangeClient, ExchangeClientOptions } from './types.js';

/** Bad signature, bad or unauthorised key, timestamp outside recvWindow. */
const AUTH_CODES = new Set(['-1021', '-1022', '-2014', '-2015']);

const accountBody = z.object({
  balances: z.array(z.object({ asset: z.string(), free: decimal, locked: decimal })),
});
const pricesBody = z.array(z.object({ symbol: z.string(), price: decimal }));

/**
 * Binance spot wallet through ccxt's raw endpoints (the unified calls need
 * loadMarkets: several exchangeInfo downloads per snapshot). Stable coins
 * count at 1, other assets at their `<ASSET>USDT` last price; assets without
 * such a market are left out. Binance transfers are not read: adjustment 0.
 */
export function createBinanceClient(credentials: ExchangeCredentials, options: ExchangeClientOptions): ExchangeClient {
  const binance = createCcxt('binance', credentials, options, { auth: AUTH_CODES });
  return {
    async fetchSummary({ signal }) {
      const account = parseResponse(
        'binance',
        'api/v3/account',
        accountBody,
        await binance.call(signal, (ex) => ex.privateGetAccount({ omitZeroBalances: 'true' })),
      );
      const held = account.balances.filter((b) => b.free + b.locked !== 0);
      const prices = held.some((b) => !STABLE_COINS.has(b.asset))
        ? new Map(
            parseResponse(
              'binance',
              'api/v3/ticker/price',
              pricesBody,
              await binance.call(signal, (ex) => ex.publicGetTickerPrice()),
            ).map((p) => [p.symbol, p.price]),
          )
        : new Map<string, number>();

      const rows: AssetRow[] = [];
      for (const b of held) {
        const price = STABLE_COINS.has(b.asset) ? 1 : prices.get(`${b.asset}USDT`);
        if (price === undefined) continue;
        const total = b.free + b.locked;
        rows.push({ asset: b.asset, total, available: b.free, notional: total * price, liability: 0, interest: 0 });
      }
      return summarize(rows, sumNotional(rows), 0);
    },
    close: () => binance.close(),
  };
}
