import { z } from 'zod';
import type { AccountSummary, AssetBalance } from '../domain/account-summary.js';

/** Coins valued at exactly 1 USD when an exchange gives no price (SPEC 12). */
export const STABLE_COINS: ReadonlySet<string> = new Set(['USDT', 'USDC', 'BUSD']);

/**
 * A decimal as exchanges send it: usually a string, sometimes a number, and
 * an empty string for "not applicable" (Bybit's UTA fields), which reads as 0.
 * Anything that is not a finite number is a malformed body.
 */
export const decimal = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const n = value === '' ? 0 : Number(value);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${String(value).slice(0, 20)}` });
    return z.NEVER;
  }
  return n;
});

export interface AssetRow extends AssetBalance {
  readonly asset: string;
}

/**
 * Builds the summary from per-asset rows. Rows that hold nothing (no amount,
 * no debt) are dropped: exchanges list every coin ever touched, and empty rows
 * only bloat the warehouse.
 */
export function summarize(rows: readonly AssetRow[], totalUsdValue: number, transferAdjustment: number): AccountSummary {
  const balances: Record<string, AssetBalance> = {};
  for (const { asset, ...balance } of rows) {
    if (balance.total === 0 && balance.liability === 0) continue;
    balances[asset] = balance;
  }
  return { totalUsdValue, balances, transferAdjustment };
}

/** Sum of the rows' USD notionals, for exchanges that report no account total. */
export function sumNotional(rows: readonly AssetRow[]): number {
  return rows.reduce((sum, row) => sum + row.notional, 0);
}
