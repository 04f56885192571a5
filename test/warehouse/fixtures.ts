/** Realistic warehouse data and a job context for driving OP jobs as the engine would. */
import pino from 'pino';
import type { AccountSummaryRecord } from '../../src/domain/account-summary.js';
import type { Portfolio } from '../../src/domain/portfolio.js';
import type { JobContext, JobResult, JobType } from '../../src/scheduler/job-type.js';

export const T0 = new Date('2024-03-10T15:59:00Z');
export const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

export function portfolio(name: string, overrides: Partial<Portfolio> = {}): Portfolio {
  return { portfolio: name, exchange: 'binance', status: 'active', positionThreshold: 1000, masterPortfolio: null, composite: null, ...overrides };
}

export function summary(name: string, at: Date, value: number, exchange = 'binance'): AccountSummaryRecord {
  return {
    portfolio: name,
    exchange,
    currentTime: at,
    totalUsdValue: value,
    transferAdjustment: -value / 100,
    balances: { USDT: { total: value, available: value / 2, notional: value, liability: 0, interest: 0 } },
  };
}

export function context(): JobContext {
  return {
    jobId: 'test',
    runId: 'run-1',
    scheduledAt: T0,
    idempotencyKey: `test@${T0.toISOString()}`,
    attempt: 1,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  };
}

/** Validates kwargs with the job's schema, then runs it: the engine's path. */
export async function runJob(job: JobType, kwargs: unknown): Promise<JobResult | void> {
  const parsed = job.kwargsSchema.parse(kwargs);
  if (!parsed.ok) throw new Error(`kwargs rejected: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return job.run(context(), parsed.value);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
