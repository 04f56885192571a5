import { describe, expect, it } from 'vitest';
import { createExchangeClient, ExchangeError, listSimulatedTransfers, simulateSummary } from '../../src/exchanges/index.js';

const NO_CREDENTIALS = { apiKey: '', apiSecret: '' };
const signal = () => new AbortController().signal;
const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);

function client(portfolio: string, simulated = {}) {
  return createExchangeClient('simulated', NO_CREDENTIALS, { portfolio, simulated });
}

describe('simulated exchange', () => {
  const now = at('2025-06-01T12:00:00Z');
  const since = new Date(now.getTime() - MINUTE);

  it('is a pure function of (portfolio, seed, time)', async () => {
    const a = await client('demo').fetchSummary({ signal: signal(), since, now });
    const b = await client('demo').fetchSummary({ signal: signal(), since, now });
    expect(b).toEqual(a);
    expect(simulateSummary('demo', {}, since, now)).toEqual(a);
    expect(simulateSummary('other', {}, since, now)).not.toEqual(a);
    expect(simulateSummary('demo', { seed: 'x' }, since, now)).not.toEqual(a);
    expect(Object.keys(a.balances)).toEqual(['BTC', 'ETH', 'SOL', 'USDT']);
    expect(a.totalUsdValue).toBeCloseTo(Object.values(a.balances).reduce((s, b) => s + b.notional, 0), 6);
  });

  it('moves prices between minutes and shares one market across portfolios', () => {
    const p1 = simulateSummary('demo', {}, since, now).balances['BTC']!;
    const p2 = simulateSummary('demo', {}, now, new Date(now.getTime() + MINUTE)).balances['BTC']!;
    expect(p2.notional / p2.total).not.toBe(p1.notional / p1.total);
    const other = simulateSummary('other', {}, since, now).balances['BTC']!;
    expect(other.notional / other.total).toBeCloseTo(p1.notional / p1.total, 6);
  });

  it('reports deposits and withdrawals as transfers and reflects them in the USDT balance', () => {
    const transfers = listSimulatedTransfers('demo', {}, at('2025-01-01T00:00:00Z'), at('2025-06-01T00:00:00Z'));
    expect(transfers.length).toBeGreaterThan(5);
    expect(transfers.some((t) => t.amount > 0) && transfers.some((t) => t.amount < 0)).toBe(true);
    for (const t of transfers.slice(0, 4)) {
      const before = new Date(t.time.getTime() - 1);
      const after = new Date(t.time.getTime() + MINUTE - 1);
      const s0 = simulateSummary('demo', {}, new Date(before.getTime() - MINUTE), before);
      const s1 = simulateSummary('demo', {}, before, after);
      expect(s1.balances['USDT']!.total - s0.balances['USDT']!.total).toBeCloseTo(t.amount, 6);
      // Money in counts negative, out positive; a window without the transfer adjusts nothing.
      expect(s1.transferAdjustment).toBeCloseTo(-t.amount, 6);
      expect(s0.transferAdjustment).toBe(0);
    }
  });

  it('lets a demo portfolio cross a threshold sometimes', () => {
    const threshold = 100_000;
    const options = { startUsd: threshold * 1.05 };
    let below = 0;
    const start = at('2025-01-01T00:00:00Z').getTime();
    const samples = 24 * 60; // hourly over 60 days
    for (let i = 0; i < samples; i++) {
      const t = new Date(start + i * 3_600_000);
      if (simulateSummary('demo', options, t, t).totalUsdValue <= threshold) below++;
    }
    expect(below).toBeGreaterThan(0);
    expect(below).toBeLessThan(samples);
  });

  it('injects failures at the configured rate, as ExchangeErrors of the configured kinds', async () => {
    const c = client('demo', { failureRate: 0.5, failureKinds: ['rate_limit'] });
    let failures = 0;
    for (let i = 0; i < 200; i++) {
      try {
        await c.fetchSummary({ signal: signal(), since, now });
      } catch (error) {
        expect(error).toBeInstanceOf(ExchangeError);
        expect((error as ExchangeError).kind).toBe('rate_limit');
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(60);
    expect(failures).toBeLessThan(140);
    const never = client('demo');
    await expect(never.fetchSummary({ signal: signal(), since, now })).resolves.toBeDefined();
  });

  it('waits within the latency range and honours the abort signal', async () => {
    const slow = client('demo', { latencyMs: { min: 40, max: 60 } });
    const started = Date.now();
    await slow.fetchSummary({ signal: signal(), since, now });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);

    const controller = new AbortController();
    const pending = client('demo', { latencyMs: { min: 5_000, max: 5_000 } }).fetchSummary({ signal: controller.signal, since, now });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });
});
