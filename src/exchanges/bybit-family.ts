import { z } from 'zod';
import type { AccountSummary } from '../domain/account-summary.js';
import { parseResponse } from './parse-response.js';
import { decimal, STABLE_COINS, summarize, sumNotional, type AssetRow } from './summary.js';

/**
 * What Bybit (v5) and Zoomex (v3, a Bybit-family API) share: the wallet-balance
 * and inter-transfer bodies and how they map to a summary. Only the transport
 * differs (ccxt for Bybit, our REST client for Zoomex).
 */

/** Signature, key and timestamp rejections in the Bybit family's retCode space. */
export const BYBIT_FAMILY_AUTH_CODES: ReadonlySet<string> = new Set(['10002', '10003', '10004', '10005', '33004']);
export const BYBIT_FAMILY_RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['10006', '10018']);

const optionalDecimal = z.literal('').or(decimal).optional();

const walletBody = z.object({
  result: z.object({
    list: z
      .array(
        z.object({
          totalEquity: optionalDecimal,
          coin: z.array(
            z.object({
              coin: z.string(),
              walletBalance: decimal,
              equity: decimal,
              usdValue: optionalDecimal,
              cumRealisedPnl: decimal.default(0),
              accruedInterest: decimal.default(0),
            }),
          ),
        }),
      )
      .length(1),
  }),
});

const transfersBody = z.object({
  result: z.object({
    list: z.array(
      z.object({
        coin: z.string(),
        amount: decimal,
        fromAccountType: z.string(),
        toAccountType: z.string(),
      }),
    ),
  }),
});

export interface WalletAccount {
  readonly exchange: string;
  /** The wallet we snapshot, as transfer records name it (`UNIFIED`, `CONTRACT`). */
  readonly accountType: string;
  /** Account total: the exchange's `totalEquity`, or the sum of coin USD values (Zoomex). */
  readonly total: 'totalEquity' | 'sumOfCoins';
}

/** Query of the inter-transfer list for one window; only settled transfers move money. */
export function transferQuery(since: Date, now: Date): Record<string, string> {
  return { startTime: String(since.getTime()), endTime: String(now.getTime()), status: 'SUCCESS', limit: '50' };
}

export function mapWallet(account: WalletAccount, wallet: unknown, transfers: unknown): AccountSummary {
  const { list } = parseResponse(account.exchange, 'wallet-balance', walletBody, wallet).result;
  const entry = list[0]!;
  // SPEC 12 keeps the original's field order: walletBalance, equity, usdValue, cumRealisedPnl, accruedInterest.
  const rows: AssetRow[] = entry.coin.map((c) => ({
    asset: c.coin,
    total: c.walletBalance,
    available: c.equity,
    notional: usdValue(c.coin, c.equity, c.usdValue),
    liability: c.cumRealisedPnl,
    interest: c.accruedInterest,
  }));
  const totalUsdValue =
    account.total === 'totalEquity' && typeof entry.totalEquity === 'number' ? entry.totalEquity : sumNotional(rows);

  const records = parseResponse(account.exchange, 'inter-transfer list', transfersBody, transfers).result.list;
  const price = new Map(rows.map((r) => [r.asset, r.available === 0 ? 0 : r.notional / r.available]));
  const transferAdjustment = records.reduce((sum, t) => {
    const usd = t.amount * (STABLE_COINS.has(t.coin) ? 1 : (price.get(t.coin) ?? 0));
    if (t.fromAccountType === account.accountType) return sum + usd;
    if (t.toAccountType === account.accountType) return sum - usd;
    return sum;
  }, 0);
  return summarize(rows, totalUsdValue, transferAdjustment);
}

/** A coin's USD value; stable coins count at 1 when the exchange leaves it out (Zoomex contract wallets). */
function usdValue(coin: string, equity: number, reported: number | '' | undefined): number {
  if (typeof reported === 'number') return reported;
  return STABLE_COINS.has(coin) ? equity : 0;
}
