import type { AccountSummary } from '../domain/account-summary.js';
import type { SimulatedOptions } from './simulated.js';

export interface FetchSummaryOptions {
  /** Aborts every request of this snapshot; the adapter throws an `aborted` ExchangeError. */
  readonly signal: AbortSignal;
  /** Start of the transfer window (the previous snapshot time). */
  readonly since: Date;
  /** The run's snapshot time; end of the transfer window. */
  readonly now: Date;
}

export interface ExchangeClient {
  fetchSummary(opts: FetchSummaryOptions): Promise<AccountSummary>;
  /** Releases connections and timers; idempotent. */
  close(): Promise<void>;
}

export interface ExchangeClientOptions {
  /** Portfolio name: used in error context and as the simulated exchange's seed. */
  readonly portfolio: string;
  /**
   * Scheme and host (optionally a port) that replace the exchange's production
   * origin, e.g. `http://127.0.0.1:4010` for a protocol test server.
   * @default the exchange's production API origin
   */
  readonly baseUrl?: string;
  /**
   * Timeout of each HTTP call in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /** Only for `simulated`. */
  readonly simulated?: SimulatedOptions;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
