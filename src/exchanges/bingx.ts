import { z } from 'zod';
import type { ExchangeCredentials } from '../domain/portfolio.js';
import { createCcxt } from './ccxt-client.js';
import { parseResponse } from './parse-response.js';
import { decimal, summarize, sumNotional, type AssetRow } from './summary.js';
import type { ExchangeClient, ExchangeClientOptions } from './types.js';

/** Signature mismatch, wrong or unauthorised key, bad timestamp. */
const AUTH_CODES = new Set(['100001', '100412', '100413', '100419', '109400']);

/** BingX's request-frequency rejection, which ccxt maps to a generic failure. */
const RATE_LIMIT_CODES = new Set(['100410']);

const swapBalanceBody = z.object({
  data: z.array(
    z.object({
      asset: z.string(),
      balance: decimal,
      equity: decimal,
      availableMargin: z.literal('').or(decimal).optional(),
      realisedProfit: decimal,
    }),
  ),
});

/**
 * BingX perpetual (USDT-M) futures account through ccxt's raw endpoint
 * (`/openApi/swap/v3/user/balance`); the unified fetchBalance needs
 * loadMarkets. Margin assets are USD-denominated, so equity is the notional
 * and the account total is the sum of equities. Transfers are not read:
 * adjustment 0.
 */
export function createBingxClient(credentials: ExchangeCredentials, options: ExchangeClientOptions): ExchangeClient {
  const bingx = createCcxt('bingx', credentials, options, { auth: AUTH_CODES, rateLimit: RATE_LIMIT_CODES });
  return {
    async fetchSummary({ signal }) {
      const body = parseResponse(
        'bingx',
        'swap/v3/user/balance',
        swapBalanceBody,
        await bingx.call(signal, (ex) => ex.swapV3PrivateGetUserBalance()),
      );
      // SPEC 12 keeps the original's field order: balance, availableMargin (else equity), equity, realisedProfit.
      const rows: AssetRow[] = body.data.map((a) => ({
        asset: a.asset,
        total: a.balance,
        available: typeof a.availableMargin === 'number' ? a.availableMargin : a.equity,
        notional: a.equity,
        liability: a.realisedProfit,
        interest: 0,
      }));
      return summarize(rows, sumNotional(rows), 0);
    },
    close: () => bingx.close(),
  };
}
