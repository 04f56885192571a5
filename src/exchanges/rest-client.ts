import type { ExchangeCredentials } from '../domain/portfolio.js';
import { ExchangeError, redact, type ExchangeErrorKind } from './errors.js';

/** What an exchange needs from our shared REST client: how to sign, how it reports errors. */
export interface RestDialect {
  readonly exchange: string;
  /** Authentication headers for one request, given exactly what goes on the wire. */
  authenticate(request: { method: string; pathWithQuery: string; body: string }, credentials: ExchangeCredentials): Record<string, string>;
  /** The exchange's error code and message when `body` reports a failure, else undefined. */
  bodyError(body: unknown): { code: string; message: string } | undefined;
  /** Exchange error codes that mean the credentials or the signature were rejected. */
  readonly authCodes: ReadonlySet<string>;
  /** Exchange error codes that mean "slow down", whatever the HTTP status. */
  readonly rateLimitCodes: ReadonlySet<string>;
}

export interface RestCall {
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly signed: boolean;
  readonly signal: AbortSignal;
}

/**
 * A small signed GET client over global fetch for the exchanges ccxt lacks.
 * Each call gets its own timeout and honours the caller's signal; every
 * failure becomes an ExchangeError whose message is redacted.
 */
export class RestClient {
  constructor(
    private readonly dialect: RestDialect,
    private readonly credentials: ExchangeCredentials,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async get(call: RestCall): Promise<unknown> {
    const query = new URLSearchParams(call.query).toString();
    const pathWithQuery = query === '' ? call.path : `${call.path}?${query}`;
    const headers = call.signed
      ? this.dialect.authenticate({ method: 'GET', pathWithQuery, body: '' }, this.credentials)
      : {};
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.baseUrl + pathWithQuery, {
        headers: { accept: 'application/json', ...headers },
        signal: AbortSignal.any([call.signal, timeout]),
      });
      text = await response.text();
    } catch (error) {
      if (call.signal.aborted) throw this.error('aborted', `GET ${call.path} aborted by the caller`);
      if (timeout.aborted) throw this.error('timeout', `GET ${call.path} took longer than ${this.timeoutMs} ms`);
      throw this.error('network', `GET ${call.path} failed: ${describeCause(error)}`);
    }
    return this.interpret(call.path, response.status, text);
  }

  private interpret(path: string, status: number, text: string): unknown {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const reported = body === undefined ? undefined : this.dialect.bodyError(body);
    const detail = `GET ${path} -> HTTP ${status}${reported ? ` code ${reported.code}: ${reported.message}` : ''}`;
    const kind = this.kindOf(status, reported?.code);
    if (kind !== undefined) throw this.error(kind, detail);
    if (body === undefined) throw this.error('bad_response', `${detail}: body is not JSON (${text.slice(0, 60)})`);
    return body;
  }

  private kindOf(status: number, code: string | undefined): ExchangeErrorKind | undefined {
    if (status === 429 || (code !== undefined && this.dialect.rateLimitCodes.has(code))) return 'rate_limit';
    if (status === 401 || status === 403 || (code !== undefined && this.dialect.authCodes.has(code))) return 'auth';
    if (status >= 500) return 'network';
    if (status >= 400 || code !== undefined) return 'exchange';
    return undefined;
  }

  private error(kind: ExchangeErrorKind, message: string): ExchangeError {
    return new ExchangeError(kind, this.dialect.exchange, redact(message, this.credentials));
  }
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
