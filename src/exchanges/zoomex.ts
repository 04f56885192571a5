import type { ExchangeCredentials } from '../domain/portfolio.js';
import { BYBIT_FAMILY_AUTH_CODES, BYBIT_FAMILY_RATE_LIMIT_CODES, mapWallet, transferQuery } from './bybit-family.js';
import { RestClient, type RestDialect } from './rest-client.js';
import { hmacSha256Hex } from './signing.js';
import { DEFAULT_TIMEOUT_MS, type ExchangeClient, type ExchangeClientOptions } from './types.js';

const PRODUCTION = 'https://openapi.zoomex.com';
/** How long after X-BAPI-TIMESTAMP the server still accepts the request. */
const RECV_WINDOW = '5000';

/**
 * Zoomex OpenAPI v3 signs like Bybit v5: X-BAPI-SIGN is the hex HMAC-SHA256
 * of timestamp + api key + recv window + query string (GET) or body (POST).
 */
const zoomexDialect: RestDialect = {
  exchange: 'zoomex',
  authenticate({ pathWithQuery, body }, credentials) {
    const timestamp = String(Date.now());
    const query = pathWithQuery.includes('?') ? pathWithQuery.slice(pathWithQuery.indexOf('?') + 1) : '';
    return {
      'X-BAPI-API-KEY': credentials.apiKey,
      'X-BAPI-TIMESTAMP': timestamp,
      'X-BAPI-RECV-WINDOW': RECV_WINDOW,
      'X-BAPI-SIGN': hmacSha256Hex(credentials.apiSecret, timestamp + credentials.apiKey + RECV_WINDOW + (body || query)),
    };
  },
  bodyError(body) {
    const { retCode, retMsg } = (body ?? {}) as { retCode?: unknown; retMsg?: unknown };
    if (retCode === undefined || String(retCode) === '0') return undefined;
    return { code: String(retCode), message: String(retMsg ?? '') };
  },
  authCodes: BYBIT_FAMILY_AUTH_CODES,
  rateLimitCodes: BYBIT_FAMILY_RATE_LIMIT_CODES,
};

/**
 * Zoomex contract wallet. Its wallet reports no account total, so the total
 * is the sum of the coins' USD values (SPEC 12).
 */
export function createZoomexClient(credentials: ExchangeCredentials, options: ExchangeClientOptions): ExchangeClient {
  const rest = new RestClient(zoomexDialect, credentials, options.baseUrl ?? PRODUCTION, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return {
    async fetchSummary({ signal, since, now }) {
      const wallet = await rest.get({
        path: '/cloud/trade/v3/account/wallet-balance',
        query: { accountType: 'CONTRACT' },
        signed: true,
        signal,
      });
      const transfers = await rest.get({
        path: '/cloud/trade/v3/asset/transfer/query-inter-transfer-list',
        query: transferQuery(since, now),
        signed: true,
        signal,
      });
      return mapWallet({ exchange: 'zoomex', accountType: 'CONTRACT', total: 'sumOfCoins' }, wallet, transfers);
    },
    close: async () => {},
  };
}
