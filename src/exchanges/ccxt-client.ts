import { AsyncLocalStorage } from 'node:async_hooks';
import type ccxtModule from 'ccxt';
import type { ExchangeCredentials } from '../domain/portfolio.js';
import { ExchangeError, redact, type ExchangeErrorKind } from './errors.js';
import { DEFAULT_TIMEOUT_MS, type ExchangeClientOptions } from './types.js';

export type CcxtExchangeId = 'binance' | 'bybit' | 'okx' | 'bingx';
type Ccxt = typeof ccxtModule;
type CcxtInstance<Id extends CcxtExchangeId> = InstanceType<Ccxt[Id]>;

let loading: Promise<Ccxt> | null = null;

/** ccxt is large (about 100 MB resident): it is loaded on the first call to a ccxt exchange, not at start-up. */
function loadCcxt(): Promise<Ccxt> {
  return (loading ??= import('ccxt').then((m) => m.default));
}

/**
 * ccxt aborts its own requests on `timeout` but takes no caller signal. Each
 * call runs inside this store with the caller's signal, and the fetch we hand
 * to ccxt joins it to ccxt's own, so a shutdown cancels the socket.
 */
const callerSignal = new AsyncLocalStorage<AbortSignal>();

function signalAwareFetch(url: string, init: RequestInit): Promise<Response> {
  const outer = callerSignal.getStore();
  const signals = [init.signal, outer].filter((s): s is AbortSignal => s != null);
  return fetch(url, { ...init, signal: AbortSignal.any(signals) });
}

/** Replaces the scheme and host of every API URL (templates included) with `baseUrl`. */
function rebase(urls: unknown, baseUrl: string): unknown {
  if (typeof urls === 'string') return urls.replace(/^https?:\/\/[^/]+/, baseUrl.replace(/\/$/, ''));
  if (urls !== null && typeof urls === 'object') {
    return Object.fromEntries(Object.entries(urls).map(([key, value]) => [key, rebase(value, baseUrl)]));
  }
  return urls;
}

/** Exchange error codes ccxt maps to generic classes, which we classify ourselves. */
export interface ExchangeCodes {
  /** Codes meaning the credentials, signature or timestamp were rejected. */
  readonly auth: ReadonlySet<string>;
  /** Codes meaning "slow down". */
  readonly rateLimit?: ReadonlySet<string>;
}

export interface CcxtHandle<Id extends CcxtExchangeId> {
  /** Runs one ccxt call under the caller's signal and turns its failures into ExchangeErrors. */
  call<T>(signal: AbortSignal, fn: (exchange: CcxtInstance<Id>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createCcxt<Id extends CcxtExchangeId>(
  id: Id,
  credentials: ExchangeCredentials,
  options: ExchangeClientOptions,
  codes: ExchangeCodes,
): CcxtHandle<Id> {
  let created: Promise<{ ccxt: Ccxt; exchange: CcxtInstance<Id> }> | null = null;
  const instance = () =>
    (created ??= loadCcxt().then((ccxt) => {
      const exchange = new ccxt[id]({
        apiKey: credentials.apiKey,
        secret: credentials.apiSecret,
        password: credentials.password,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        enableRateLimit: true,
        fetchImplementation: signalAwareFetch,
      }) as CcxtInstance<Id>;
      if (options.baseUrl !== undefined) exchange.urls['api'] = rebase(exchange.urls['api'], options.baseUrl) as typeof exchange.urls['api'];
      return { ccxt, exchange };
    }));

  const fail = (kind: ExchangeErrorKind, message: string): ExchangeError =>
    new ExchangeError(kind, id, redact(message, credentials));

  return {
    async call(signal, fn) {
      if (signal.aborted) throw fail('aborted', 'aborted by the caller before the request');
      const { ccxt, exchange } = await instance();
      try {
        return await callerSignal.run(signal, () => fn(exchange));
      } catch (error) {
        if (signal.aborted) throw fail('aborted', 'aborted by the caller');
        if (error instanceof ExchangeError) throw error;
        throw fail(classify(ccxt, error, codes), error instanceof Error ? error.message : String(error));
      }
    },
    async close() {
      if (created) await (await created).exchange.close();
    },
  };
}

/**
 * ccxt's hierarchy puts rate limits and timeouts under NetworkError, so the
 * specific classes are tested first. Some exchange codes that mean "bad
 * credentials" (Binance -2015, say) or "slow down" (BingX 100410) reach us
 * as generic ExchangeErrors; the adapter lists those codes and we find them in ccxt's message, which quotes
 * the exchange's body.
 */
function classify(ccxt: Ccxt, error: unknown, codes: ExchangeCodes): ExchangeErrorKind {
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) return 'rate_limit';
  if (error instanceof ccxt.RequestTimeout) return 'timeout';
  if (error instanceof ccxt.NetworkError) return 'network';
  if (
    error instanceof ccxt.AuthenticationError ||
    error instanceof ccxt.PermissionDenied ||
    error instanceof ccxt.AccountSuspended ||
    error instanceof ccxt.InvalidNonce
  ) {
    return 'auth';
  }
  if (error instanceof ccxt.BadResponse || error instanceof ccxt.NullResponse) return 'bad_response';
  if (error instanceof Error) {
    const code = /"(?:code|retCode)"\s*:\s*"?(-?\d+)/.exec(error.message)?.[1];
    if (code !== undefined && codes.rateLimit?.has(code)) return 'rate_limit';
    if (code !== undefined && codes.auth.has(code)) return 'auth';
    if (error instanceof SyntaxError || error instanceof TypeError) return 'bad_response';
  }
  return 'exchange';
}
