/** Exchanges Kairos can snapshot; `simulated` is the built-in deterministic one. */
export const EXCHANGE_NAMES = ['binance', 'bybit', 'okx', 'bingx', 'bitmex', 'bitmart', 'zoomex', 'simulated'] as const;
export type ExchangeName = (typeof EXCHANGE_NAMES)[number];

/**
 * Resolved exchange credentials. Only the warehouse (which resolves env
 * references and decrypts) and the exchanges module ever hold these; they are
 * never part of a `Portfolio` value that can reach an API, a log or an error.
 */
export interface ExchangeCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** OKX passphrase. */
  readonly password?: string;
  /** BitMart memo. */
  readonly memo?: string;
}

/** A `DATA.portfolio` document without its credentials. */
export interface Portfolio {
  readonly portfolio: string;
  readonly exchange: string;
  readonly status: string;
  readonly positionThreshold: number | null;
  readonly masterPortfolio: string | null;
  readonly composite: string | null;
}
