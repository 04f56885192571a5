import { z } from 'zod';
import type { AccountSummary } from '../domain/account-summary.js';
import type { ExchangeCredentials } from '../domain/portfolio.js';
import { createCcxt } from './ccxt-client.js';
import { parseResponse } from './parse-response.js';
import { decimal, STABLE_COINS, summarize, type AssetRow } from './summary.js';
import type { ExchangeClient, ExchangeClientOptions, FetchSummaryOptions } from './types.js';

/** Invalid key, signature, passphrase, missing headers, expired timestamp. */
const AUTH_CODES = new Set(['50102', '50103', '50104', '50105', '50111', '50113']);
/** `type` of an account bill that records a transfer between accounts. */
const BILL_TYPE_TRANSFER = '1';
/** The most bills one page returns; a one-minute window holds far fewer transfers. */
const BILLS_PAGE = '100';

const balanceBody = z.object({
  data: z
    .array(
      z.object({
        totalEq: decimal,
        details: z.array(
          z.object({
            ccy: z.string(),
            eq: decimal,
            // Empty in accounts without cross margin, where availBal carries the same meaning.
            availEq: z.literal('').or(decimal),
            availBal: decimal,
            eqUsd: decimal,
            liab: decimal,
            interest: decimal,
          }),
        ),
      }),
    )
    .length(1),
});

const billsBody = z.object({
  data: z.array(z.object({ ccy: z.string(), balChg: decimal })),
});

/**
 * OKX trading (unified) account through ccxt's raw endpoints: ccxt's unified
 * fetchBalance drops `totalEq` and `eqUsd`, and needs loadMarkets.
 */
export function createOkxClient(credentials: ExchangeCredentials, options: ExchangeClientOptions): ExchangeClient {
  const okx = createCcxt('okx', credentials, options, { auth: AUTH_CODES });

  return {
    async fetchSummary({ signal, since, now }: FetchSummaryOptions): Promise<AccountSummary> {
      const balance = parseResponse(
        'okx',
        'account/balance',
        balanceBody,
        await okx.call(signal, (ex) => ex.privateGetAccountBalance()),
      ).data[0]!;
      const bills = parseResponse(
        'okx',
        'account/bills',
        billsBody,
        await okx.call(signal, (ex) =>
          ex.privateGetAccountBills({
            type: BILL_TYPE_TRANSFER,
            begin: String(since.getTime()),
            end: String(now.getTime()),
            limit: BILLS_PAGE,
          }),
        ),
      ).data;

      const rows: AssetRow[] = balance.details.map((d) => ({
        asset: d.ccy,
        total: d.eq,
        available: d.availEq === '' ? d.availBal : d.availEq,
        notional: d.eqUsd,
        liability: d.liab,
        interest: d.interest,
      }));
      // A bill's balChg is seen from the trading account: positive when money came in.
      // Money in counts negative, so the adjustment is minus the USD value of the changes.
      const usdPrice = new Map(rows.map((r) => [r.asset, r.total === 0 ? 0 : r.notional / r.total]));
      const transferAdjustment = bills.reduce(
        (sum, bill) => sum - bill.balChg * (STABLE_COINS.has(bill.ccy) ? 1 : (usdPrice.get(bill.ccy) ?? 0)),
        0,
      );
      return summarize(rows, balance.totalEq, transferAdjustment);
    },
    close: () => okx.close(),
  };
}
