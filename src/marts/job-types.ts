/**
 * The four mart job types, built from one definition per kind so the portfolio
 * and master variants (and live and refill) take the same kwargs and report
 * the same counts. The files in src/jobs/ name them as jobs.yaml does.
 */
import { z } from 'zod';
import { defineJobType, type JobContext, type JobType } from '../scheduler/job-type.js';
import { requireRunArguments } from '../warehouse/run-arguments.js';
import type { PerformanceKind, Warehouse } from '../warehouse/warehouse.js';
import { progressReporter } from './progress.js';
import { refill, type WarehouseAccess } from './refill.js';
import { DEFAULT_BATCH_SIZE } from './row-writer.js';
import { runMart, type MartCounts } from './run-mart.js';

const instant = z.iso.datetime({ offset: true }).nullable().default(null).describe('ISO-8601 instant with Z or an offset');

const common = {
  keys: z.array(z.string().min(1)).min(1).nullable().default(null).describe('only these keys; null for every key'),
  batch_size: z.number().int().positive().max(10_000).default(DEFAULT_BATCH_SIZE).describe('rows per upsert'),
};

/** Masters only: what to do at t when a member expected at t has no summary (src/performance/README.md). */
const incomplete = {
  incomplete: z.enum(['skip', 'partial']).optional().describe('a member expected at t has no summary: skip t (the default), or sum the members present'),
};

const pairSwitch = (what: string) =>
  z.boolean().nullable().default(null).describe(`${what} the test pair (T_*) when true, production (C_*) when false; null for the pair Kairos uses`);

const refillArgs = {
  start_time: instant.describe('first snapshot time recomputed (inclusive)'),
  end_time: instant.describe('last snapshot time recomputed (inclusive); null for now'),
  read_test: pairSwitch('read portfolios and summaries from'),
  write_test: pairSwitch('seed from and write rows to'),
};

const liveKwargs = { portfolio: z.object(common), master: z.object({ ...common, ...incomplete }) } as const;
const refillKwargs = {
  portfolio: z.object({ ...common, ...refillArgs }),
  master: z.object({ ...common, ...incomplete, ...refillArgs }),
} as const;

const TABLE = { portfolio: 'portfolio_performance', master: 'master_portfolio_performance' } as const;

function result(ctx: JobContext, what: string, counts: MartCounts, extra: Record<string, unknown> = {}) {
  ctx.logger.info({ keys: counts.keys, rowsWritten: counts.rows, ...extra }, `${what} finished`);
  return { message: `${what}: ${counts.keys} keys, ${counts.rows} rows written`, data: { keys: counts.keys, rows_written: counts.rows, ...extra } };
}

const keyLogger = (ctx: JobContext) => (key: string, rows: number) => ctx.logger.debug({ key, rows }, 'key computed');

/** How often a refill logs its progress (a year of 10 portfolios takes minutes). */
const REFILL_PROGRESS_MS = 10_000;

/** MART_portfolio_performance / MART_master_portfolio_performance. */
export function liveMartJob(kind: PerformanceKind, name: string, deps: { readonly warehouse: Warehouse }): JobType {
  return defineJobType({
    name,
    description: `Appends ${TABLE[kind]} rows for every snapshot after each key's newest row, in time order, exactly once.`,
    kwargs: liveKwargs[kind] as z.ZodObject<typeof common & typeof incomplete>,
    async run(ctx, kwargs) {
      const counts = await runMart({
        kind,
        source: deps.warehouse,
        target: deps.warehouse,
        window: { mode: 'continue', to: new Date() },
        keys: kwargs.keys ?? undefined,
        incomplete: kwargs.incomplete,
        batchSize: kwargs.batch_size,
        signal: ctx.signal,
        onKey: keyLogger(ctx),
      });
      return result(ctx, name, counts);
    },
  });
}

/** OP_refill_portfolio_performance / OP_refill_master_portfolio_performance. */
export function refillJob(kind: PerformanceKind, name: string, deps: WarehouseAccess): JobType {
  return defineJobType({
    name,
    description: `Recomputes ${TABLE[kind]} over [start_time, end_time] from the summaries, seeded from each key's last row before start_time.`,
    kwargs: refillKwargs[kind] as z.ZodObject<typeof common & typeof incomplete & typeof refillArgs>,
    async run(ctx, kwargs) {
      requireRunArguments(name, kwargs, ['start_time']);
      const report = await refill(deps, {
        kind,
        from: new Date(kwargs.start_time as string),
        to: kwargs.end_time === null ? new Date() : new Date(kwargs.end_time),
        keys: kwargs.keys ?? undefined,
        readTest: kwargs.read_test ?? undefined,
        writeTest: kwargs.write_test ?? undefined,
        incomplete: kwargs.incomplete,
        batchSize: kwargs.batch_size,
        signal: ctx.signal,
        onKey: keyLogger(ctx),
        onProgress: progressReporter(REFILL_PROGRESS_MS, (line, fields) => ctx.logger.info(fields, `${name}: ${line}`)),
      });
      return result(ctx, name, report, {
        start_time: report.from.toISOString(),
        end_time: report.to.toISOString(),
        read_test: report.readTest,
        write_test: report.writeTest,
        rows_deleted: report.deleted,
      });
    },
  });
}
