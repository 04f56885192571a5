import { describe, expect, it } from 'vitest';
import { formatUsd, formatUtc, staleMessage, underThresholdMessage } from '../../src/jobs/data-account-summary/alert-messages.js';
import { forEachConcurrent } from '../../src/jobs/data-account-summary/for-each-concurrent.js';
import { isStale, isUnderThreshold, snapshotTime, transferSince } from '../../src/jobs/data-account-summary/snapshot-plan.js';
import { accountSummaryKwargs } from '../../src/jobs/data-account-summary-1-minute.js';
import type { Portfolio } from '../../src/domain/portfolio.js';

const at = (text: string) => new Date(text);
const portfolio = (positionThreshold: number | null): Portfolio => ({
  portfolio: 'p',
  exchange: 'simulated',
  status: 'active',
  positionThreshold,
  masterPortfolio: null,
  composite: null,
});

describe('snapshot plan', () => {
  it('takes current_time from the scheduled time, truncated to the second', () => {
    expect(snapshotTime(at('2025-03-01T00:01:00.999Z'))).toEqual(at('2025-03-01T00:01:00Z'));
    expect(snapshotTime(at('2025-03-01T00:01:00Z'))).toEqual(at('2025-03-01T00:01:00Z'));
  });

  it('opens the transfer window at the previous snapshot, else one minute back', () => {
    const now = at('2025-03-01T00:10:00Z');
    expect(transferSince(at('2025-03-01T00:03:00Z'), now)).toEqual(at('2025-03-01T00:03:00Z'));
    expect(transferSince(undefined, now)).toEqual(at('2025-03-01T00:09:00Z'));
  });

  it('alerts at or below the threshold, never without one', () => {
    expect([isUnderThreshold(portfolio(100), 100), isUnderThreshold(portfolio(100), 99.99), isUnderThreshold(portfolio(100), 100.01)]).toEqual([true, true, false]);
    expect(isUnderThreshold(portfolio(null), -1)).toBe(false);
  });

  it('calls a portfolio stale from exactly stale_after_minutes on', () => {
    const latest = at('2025-03-01T00:00:00Z');
    expect(isStale(latest, at('2025-03-01T00:04:59Z'), 300_000)).toBe(false);
    expect(isStale(latest, at('2025-03-01T00:05:00Z'), 300_000)).toBe(true);
  });
});

describe('alert messages', () => {
  it('writes USD with two decimals and thousands separators', () => {
    expect([formatUsd(1234567.891), formatUsd(0), formatUsd(-9876.5)]).toEqual(['1,234,567.89', '0.00', '-9,876.50']);
  });

  it('writes times in UTC to the second', () => {
    expect(formatUtc(at('2025-03-01T08:01:02.345Z'))).toBe('2025-03-01 08:01:02 UTC');
  });

  it('names portfolio, value, threshold and time', () => {
    expect(underThresholdMessage('alpha', 48210.5, 50000, at('2025-03-01T00:01:00Z'))).toBe(
      'Portfolio alpha: total USD value 48,210.50 is at or below its threshold 50,000.00 at 2025-03-01 00:01:00 UTC',
    );
    expect(staleMessage('alpha', at('2025-03-01T00:00:00Z'), at('2025-03-01T00:07:59Z'))).toBe(
      'Portfolio alpha: no snapshot for 7 min (last at 2025-03-01 00:00:00 UTC)',
    );
  });
});

describe('forEachConcurrent', () => {
  /** Tasks that finish only when released, so the number in flight can be observed. */
  function gatedTasks() {
    let inFlight = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise<void>((resolve) => releases.push(resolve));
      inFlight--;
    };
    const releaseAll = async () => {
      while (releases.length > 0 || inFlight > 0) {
        releases.splice(0).forEach((release) => release());
        await new Promise((r) => setImmediate(r));
      }
    };
    return { task, releaseAll, peak: () => peak, waiting: () => releases.length };
  }

  it('keeps exactly the limit in flight until the items run out', async () => {
    const gate = gatedTasks();
    const done = forEachConcurrent(Array.from({ length: 10 }, (_, i) => i), 4, new AbortController().signal, gate.task);
    await new Promise((r) => setImmediate(r));
    expect(gate.waiting()).toBe(4);
    await gate.releaseAll();
    expect(await done).toBe(10);
    expect(gate.peak()).toBe(4);
  });

  it('starts nothing new once the signal aborts', async () => {
    const gate = gatedTasks();
    const controller = new AbortController();
    const done = forEachConcurrent(Array.from({ length: 10 }, (_, i) => i), 3, controller.signal, gate.task);
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await gate.releaseAll();
    expect(await done).toBe(3);
  });

  it('lets every task finish before reporting one that threw', async () => {
    const finished: number[] = [];
    const done = forEachConcurrent([1, 2, 3], 3, new AbortController().signal, async (n) => {
      if (n === 1) throw new Error('bug');
      await new Promise((r) => setTimeout(r, 5));
      finished.push(n);
    });
    await expect(done).rejects.toThrow('bug');
    expect(finished).toEqual([2, 3]);
  });

  it('refuses a limit below one', async () => {
    await expect(forEachConcurrent([1], 0, new AbortController().signal, async () => {})).rejects.toThrow(RangeError);
  });
});

describe('kwargs', () => {
  it('has documented defaults and bounds', () => {
    expect(accountSummaryKwargs.parse({})).toEqual({ concurrency: 16, timeout_seconds: 20, stale_after_minutes: 5, alert_cooldown_seconds: 600 });
    expect(accountSummaryKwargs.safeParse({ concurrency: 0 }).success).toBe(false);
  });
});
