import type { ExchangeCredentials } from '../domain/portfolio.js';
import { BYBIT_FAMILY_AUTH_CODES, BYBIT_FAMILY_RATE_LIMIT_CODES, mapWallet, transferQuery } from './bybit-family.js';
import { createCcxt } from './ccxt-client.js';
import type { ExchangeClient, ExchangeClientOptions } from './types.js';

/**
 * Bybit unified trading account through ccxt's raw v5 endpoints: the unified
 * fetchBalance drops `usdValue` and `totalEquity` and needs loadMarkets.
 * Transfers come from the inter-transfer list (UNIFIED <-> FUND and others).
 */
export function createBybitClient(credentials: ExchangeCredentials, options: ExchangeClientOptions): ExchangeClient {
  const bybit = createCcxt('bybit', credentials, options, { auth: BYBIT_FAMILY_AUTH_CODES, rateLimit: BYBIT_FAMILY_RATE_LIMIT_CODES });
  return {
    async fetchSummary({ signal, since, now }) {
      const wallet = await bybit.call(signal, (ex) => ex.privateGetV5AccountWalletBalance({ accountType: 'UNIFIED' }));
      const transfers = await bybit.call(signal, (ex) =>
        ex.privateGetV5AssetTransferQueryInterTransferList(transferQuery(since, now)),
      );
      return mapWallet({ exchange: 'bybit', accountType: 'UNIFIED', total: 'totalEquity' }, wallet, transfers);
    },
    close: () => bybit.close(),
  };
}
