/** One asset's position in an account, amounts in the asset's own unit except `notional` (USD). */
export interface AssetBalance {
  readonly total: number;
  readonly available: number;
  readonly notional: number;
  readonly liability: number;
  readonly interest: number;
}

/** What an exchange adapter reports for one account at one moment. */
export interface AccountSummary {
  readonly totalUsdValue: number;
  readonly balances: Readonly<Record<string, AssetBalance>>;
  /**
   * Net transfers over the last interval, signed as SPEC 13 expects:
   * money moved into the account counts negative, out of it positive.
   */
  readonly transferAdjustment: number;
}

/** A `DATA.account_summary_1_minute` row. */
export interface AccountSummaryRecord extends AccountSummary {
  readonly portfolio: string;
  readonly exchange: string;
  /** UTC snapshot time truncated to the second. */
  readonly currentTime: Date;
}

/** The part of a summary the performance chain reads (SPEC 13's V and A of a portfolio at t). */
export type SummaryFlow = Pick<AccountSummaryRecord, 'portfolio' | 'currentTime' | 'totalUsdValue' | 'transferAdjustment'>;
