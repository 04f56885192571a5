import { z } from 'zod';
import type { ExchangeCredentials } from '../domain/portfolio.js';
import { parseResponse } from './parse-response.js';
import { RestClient, type RestDialect } from './rest-client.js';
import { hmacSha256Hex } from './signing.js';
import { decimal, STABLE_COINS, summarize, sumNotional, type AssetRow } from './summary.js';
import { DEFAULT_TIMEOUT_MS, type ExchangeClient, type ExchangeClientOptions } from './types.js';

const PRODUCTION = 'https://www.bitmex.com';
/** Seconds a signed request stays valid; BitMEX rejects an `api-expires` in the past. */
const EXPIRES_AFTER_S = 30;

/**
 * BitMEX API-key authentication: api-signature is the hex HMAC-SHA256 of
 * verb + path (with query) + api-expires + body.
 */
const bitmexDialect: RestDialect = {
  exchange: 'bitmex',
  authenticate({ method, pathWithQuery, body }, credentials) {
    const expires = String(Math.floor(Date.now() / 1000) + EXPIRES_AFTER_S);
    return {
      'api-expires': expires,
      'api-key': credentials.apiKey,
      'api-signature': hmacSha256Hex(credentials.apiSecret, method + pathWithQuery + expires + body),
    };
  },
  bodyError(body) {
    const error = (body as { error?: { name?: unknown; message?: unknown } } | null)?.error;
    return error ? { code: String(error.name ?? 'Error'), message: String(error.message ?? '') } : undefined;
  },
  // BitMEX reports bad credentials with HTTP 401 and throttling with 429; the status decides.
  authCodes: new Set(),
  rateLimitCodes: new Set(['RateLimitError']),
};

const marginBody = z.array(z.object({ currency: z.string(), marginBalance: decimal, availableMargin: decimal }));
const instrumentBody = z.array(z.object({ symbol: z.string(), lastPrice: decimal }));

/** BitMEX margin amounts are integers of the currency's smallest unit: XBt is 1e-8 XBT, the rest 1e-6. */
function unitScale(currency: string): number {
  return currency === 'XBt' ? 1e-8 : 1e-6;
}

/**
 * BitMEX margin accounts (`/user/margin?currency=all`). Each currency's
 * marginBalance is priced by its `<CUR>_USDT` perpetual's last price; USDT
 * counts at 1; a currency without such a perpetual is left out. BitMEX
 * transfers are not read: adjustment 0.
 */
export function createBitmexClient(credentials: ExchangeCredentials, options: ExchangeClientOptions): ExchangeClient {
  const rest = new RestClient(bitmexDialect, credentials, options.baseUrl ?? PRODUCTION, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return {
    async fetchSummary({ signal }) {
      const margins = parseResponse(
        'bitmex',
        'user/margin',
        marginBody,
        await rest.get({ path: '/api/v1/user/margin', query: { currency: 'all' }, signed: true, signal }),
      );
      const rows: AssetRow[] = [];
      for (const m of margins) {
        const asset = m.currency.toUpperCase();
        const scale = unitScale(m.currency);
        const total = m.marginBalance * scale;
        if (total === 0) continue;
        const price = STABLE_COINS.has(asset) ? 1 : await lastPrice(rest, `${asset}_USDT`, signal);
        if (price === undefined) continue;
        rows.push({ asset, total, available: m.availableMargin * scale, notional: total * price, liability: 0, interest: 0 });
      }
      return summarize(rows, sumNotional(rows), 0);
    },
    close: async () => {},
  };
}

async function lastPrice(rest: RestClient, symbol: string, signal: AbortSignal): Promise<number | undefined> {
  const instruments = parseResponse(
    'bitmex',
    'instrument',
    instrumentBody,
    await rest.get({ path: '/api/v1/instrument', query: { symbol }, signed: false, signal }),
  );
  return instruments.find((i) => i.symbol === symbol)?.lastPrice;
}
