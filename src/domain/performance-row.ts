/** A `MART.portfolio_performance` / `MART.master_portfolio_performance` row (SPEC 13). */
export interface PerformanceRow {
  /** The portfolio, master portfolio or composite name. */
  readonly key: string;
  readonly currentTime: Date;
  readonly totalUsdValue: number;
  readonly historyHigh: number;
  readonly nav: number;
  readonly currentReturn: number;
  readonly crr: number;
  readonly cd: number;
  readonly mdd: number;
}
