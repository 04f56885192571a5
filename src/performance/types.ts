import type { PerformanceRow } from '../domain/performance-row.js';

/** One observation of a key: V = `value` (total_usd_value), A = `adjustment` (transfer_adjustment, in < 0 < out). */
export interface Point {
  readonly t: Date;
  readonly value: number;
  readonly adjustment: number;
}

/**
 * Everything the next step of the SPEC 13 recurrence needs. It is a subset of a
 * stored `PerformanceRow` on purpose: the chain keeps no hidden state, so a run
 * seeded from the last stored row continues exactly as an uninterrupted run
 * would (live, late, doubled and refill runs agree bit for bit).
 */
export type ChainSeed = Pick<PerformanceRow, 'currentTime' | 'totalUsdValue' | 'nav' | 'crr' | 'historyHigh' | 'mdd'>;

/** Bad input to the performance math: a non-finite number, an invalid or out-of-order time, a corrupt seed. */
export class PerformanceInputError extends Error {
  constructor(
    readonly key: string,
    readonly time: Date | null,
    detail: string,
  ) {
    super(`performance of "${key}"${time === null ? '' : ` at ${describeTime(time)}`}: ${detail}`);
    this.name = 'PerformanceInputError';
  }
}

export function describeTime(t: Date): string {
  return Number.isNaN(t.getTime()) ? 'an invalid date' : t.toISOString();
}
