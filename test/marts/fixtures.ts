import type { AccountSummaryRecord } from '../../src/domain/account-summary.js';
import type { PerformanceRow } from '../../src/domain/performance-row.js';
import type { Portfolio } from '../../src/domain/portfolio.js';
import type { PerformanceKind, Warehouse } from '../../src/warehouse/warehouse.js';

export const T0 = Date.UTC(2024, 2, 10, 15, 59);
export const at = (minute: number): Date => new Date(T0 + minute * 60_000);
const FAR = new Date(Date.UTC(2100, 0, 1));

export function member(name: string, masterPortfolio: string | null, composite: string | null = null, status = 'active'): Portfolio {
  return { portfolio: name, exchange: 'simulated', status, positionThreshold: null, masterPortfolio, composite };
}

export async function addPortfolios(wh: Warehouse, portfolios: readonly Portfolio[]): Promise<void> {
  for (const p of portfolios) await wh.upsertPortfolio(p, { apiKey: 'k', apiSecret: 's' });
}

export function snap(portfolio: string, minute: number, value: number, adjustment = 0): AccountSummaryRecord {
  return {
    portfolio,
    exchange: 'simulated',
    currentTime: at(minute),
    totalUsdValue: value,
    transferAdjustment: adjustment,
    balances: { USDT: { total: value, available: value, notional: value, liability: 0, interest: 0 } },
  };
}

export async function rowsOf(wh: Warehouse, kind: PerformanceKind, keys: readonly string[]): Promise<PerformanceRow[]> {
  const rows: PerformanceRow[] = [];
  for await (const row of wh.streamPerformance(kind, { keys, from: new Date(0), to: FAR })) rows.push(row);
  return rows;
}

/** Wraps a real warehouse so that its performance writes fail after `okWrites` calls: a crash mid-run. */
export function crashingAfter(wh: Warehouse, okWrites: number): Warehouse {
  let writes = 0;
  return new Proxy(wh, {
    get(target, prop) {
      if (prop === 'upsertPerformanceRows') {
        return async (...args: Parameters<Warehouse['upsertPerformanceRows']>) => {
          writes += 1;
          if (writes > okWrites) throw new Error('injected crash');
          await target.upsertPerformanceRows(...args);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
