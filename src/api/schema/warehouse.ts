import { z } from 'zod';
import { IsoTime } from './common.js';

/** Warehouse reads for the dashboard (SPEC 7, 15). No credential field exists in any of these shapes. */

export const BalanceJson = z.object({ total: z.number(), available: z.number(), notional: z.number().describe('USD'), liability: z.number(), interest: z.number() });

export const PortfolioJson = z.object({
  portfolio: z.string(),
  exchange: z.string(),
  status: z.string().describe('"active" or not'),
  position_threshold: z.number().nullable().describe('Alert when total_usd_value falls below it; null: no alert'),
  master_portfolio: z.string().nullable(),
  composite: z.string().nullable(),
  latest: z
    .object({ total_usd_value: z.number(), current_time: IsoTime, balances: z.record(z.string(), BalanceJson) })
    .nullable()
    .describe('The newest account summary; null before the first snapshot'),
});

export const PortfoliosJson = z.object({ portfolios: z.array(PortfolioJson) });

export const PERFORMANCE_KINDS = ['portfolio', 'master'] as const;

export const PerformanceQuery = z.strictObject({
  kind: z.enum(PERFORMANCE_KINDS).describe('portfolio: MART.portfolio_performance; master: MART.master_portfolio_performance (master portfolios and composites)'),
  key: z.string().min(1).max(300).describe('The portfolio, master portfolio or composite name'),
  from: IsoTime.optional().describe('Inclusive; absent: from the first row'),
  to: IsoTime.optional().describe('Inclusive; absent: now'),
  points: z.int().min(10).max(5000).default(600).describe('At most this many points are answered'),
});
export type PerformanceQuery = z.output<typeof PerformanceQuery>;

export const PerformancePointJson = z.object({
  t: IsoTime.describe('current_time'),
  total_usd_value: z.number(),
  nav: z.number(),
  cd: z.number().describe('Current drawdown, <= 0'),
  mdd: z.number().describe('Maximum drawdown so far, <= 0'),
  crr: z.number().describe('Cumulative return'),
});

export const PerformanceJson = z.object({
  key: z.string(),
  kind: z.enum(PERFORMANCE_KINDS),
  rows: z.int().describe('Rows in the range before downsampling'),
  points: z.array(PerformancePointJson).describe('Oldest first; every peak and trough of nav survives downsampling'),
});
