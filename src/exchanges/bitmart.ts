import { z } from 'zod';
import type { ExchangeCredentials } from '../domain/portfolio.js';
import { ExchangeError } from './errors.js';
import { parseResponse } from './parse-response.js';
import { RestClient, type RestDialect } from './rest-client.js';
import { hmacSha256Hex } from './signing.js';
import { decimal, STABLE_COINS, summarize, sumNotional, type AssetRow } from './summary.js';
import { DEFAULT_TIMEOUT_MS, type ExchangeClient, type ExchangeClientOptions } from './types.js';

const PRODUCTION = 'https://api-cloud.bitmart.com';
const SUCCESS = '1000';

/**
 * BitMart SIGNED authentication: X-BM-SIGN is the hex HMAC-SHA256 of
 * timestamp + '#' + memo + '#' + query string (GET) or body (POST).
 */
const bitmartDialect: RestDialect = {
  exchange: 'bitmart',
  authenticate({ pathWithQuery, body }, credentials) {
    const timestamp = String(Date.now());
    const query = pathWithQuery.includes('?') ? pathWithQuery.slice(pathWithQuery.indexOf('?') + 1) : '';
    return {
      'X-BM-KEY': credentials.apiKey,
      'X-BM-TIMESTAMP': timestamp,
      'X-BM-SIGN': hmacSha256Hex(credentials.apiSecret, `${timestamp}#${credentials.memo ?? ''}#${body || query}`),
    };
  },
  bodyError(body) {
    const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
    if (code === undefined || String(code) === SUCCESS) return undefined;
    return { code: String(code), message: String(message ?? '') };
  },
  // Missing, unknown or wrong key/sign/timestamp headers.
  authCodes: new Set(['30002', '30003', '30004', '30005', '30006', '30007', '30008', '30010']),
  rateLimitCodes: new Set(['30013']),
};

const walletBody = z.object({
  data: z.object({ wallet: z.array(z.object({ id: z.string(), available: decimal, frozen: decimal })) }),
});
const tickerBody = z.object({ data: z.object({ last: decimal }) });

/**
 * BitMart spot wallet (`/spot/v1/wallet`: the original's available/frozen
 * balances). Non-stable assets are priced by the `<BASE>_USDT` ticker; an
 * asset BitMart has no such pair for is left out. BitMart transfers are not
 * read: adjustment 0.
 */
export function createBitmartClient(credentials: ExchangeCredentials, options: ExchangeClientOptions): ExchangeClient {
  const rest = new RestClient(bitmartDialect, credentials, options.baseUrl ?? PRODUCTION, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return {
    async fetchSummary({ signal }) {
      const wallet = parseResponse(
        'bitmart',
        'spot/v1/wallet',
        walletBody,
        await rest.get({ path: '/spot/v1/wallet', signed: true, signal }),
      ).data.wallet;
      const rows: AssetRow[] = [];
      for (const w of wallet) {
        const total = w.available + w.frozen;
        if (total === 0) continue;
        const price = STABLE_COINS.has(w.id) ? 1 : await lastPrice(rest, `${w.id}_USDT`, signal);
        if (price === undefined) continue;
        rows.push({ asset: w.id, total, available: w.available, notional: total * price, liability: 0, interest: 0 });
      }
      return summarize(rows, sumNotional(rows), 0);
    },
    close: async () => {},
  };
}

/** The pair's last price, or undefined when BitMart rejects the symbol (no such pair). */
async function lastPrice(rest: RestClient, symbol: string, signal: AbortSignal): Promise<number | undefined> {
  try {
    const body = await rest.get({ path: '/spot/quotation/v3/ticker', query: { symbol }, signed: false, signal });
    return parseResponse('bitmart', 'ticker', tickerBody, body).data.last;
  } catch (error) {
    if (error instanceof ExchangeError && error.kind === 'exchange') return undefined;
    throw error;
  }
}
