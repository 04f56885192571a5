import type { ExchangeCredentials } from '../domain/portfolio.js';

/**
 * What went wrong, in the words the snapshot job acts on:
 * - `auth`: key, secret, passphrase, memo or clock rejected; retrying will not help.
 * - `rate_limit`: the exchange throttled us; retry after a pause.
 * - `network`: connection failed or the exchange is unavailable; retry.
 * - `timeout`: our per-call timeout fired; retry.
 * - `bad_response`: the body was not what the exchange documents (malformed JSON, missing fields).
 * - `exchange`: any other rejection the exchange reported (bad parameter, account state).
 * - `aborted`: the caller's AbortSignal fired (shutdown, job timeout).
 */
export const EXCHANGE_ERROR_KINDS = [
  'auth',
  'rate_limit',
  'network',
  'timeout',
  'bad_response',
  'exchange',
  'aborted',
] as const;
export type ExchangeErrorKind = (typeof EXCHANGE_ERROR_KINDS)[number];

const RETRYABLE: ReadonlySet<ExchangeErrorKind> = new Set(['rate_limit', 'network', 'timeout']);

/** The one error type adapters throw. Its message never holds a credential. */
export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';

  constructor(
    readonly kind: ExchangeErrorKind,
    readonly exchange: string,
    message: string,
  ) {
    super(`${exchange}: ${kind}: ${message}`);
  }

  /** Whether the same call may succeed if tried again later. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/**
 * Removes every credential value, and any `signature=` query value, from a
 * text before it can reach an error message. Exchanges and ccxt echo request
 * URLs and bodies into their errors; this is the last line of defence.
 */
export function redact(text: string, credentials: ExchangeCredentials): string {
  let out = text.replace(/(signature|sign)=[^&\s"']+/gi, '$1=***');
  for (const secret of [credentials.apiKey, credentials.apiSecret, credentials.password, credentials.memo]) {
    // Short values would blank out ordinary words; real credentials are long.
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
