import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { PerformanceRow } from '../../domain/performance-row.js';
import { downsample } from '../../performance/downsample.js';
import { iso } from '../../shared/iso-time.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { ApiError } from '../errors.js';
import type { DescribeRoute } from '../route-options.js';
import { PerformanceJson, PerformanceQuery, PortfoliosJson } from '../schema/warehouse.js';

/**
 * Warehouse reads for the dashboard. The routes exist (and are documented)
 * whether or not a warehouse is wired, so the OpenAPI document does not depend
 * on the configuration; without one they answer 503.
 */
export function registerWarehouseRoutes(app: FastifyInstance, warehouse: Warehouse | undefined, describe: DescribeRoute): void {
  const tags = ['warehouse'];
  const required = (): Warehouse => {
    if (!warehouse) throw new ApiError(503, 'warehouse_unavailable', 'no warehouse is configured for this API');
    return warehouse;
  };

  app.get(
    '/warehouse/portfolios',
    describe({
      tags,
      summary: 'Portfolios with their newest account summary (never their credentials)',
      access: 'read',
      response: { 200: PortfoliosJson },
      errors: [503],
    }),
    async (): Promise<z.output<typeof PortfoliosJson>> => {
      const source = required();
      const [portfolios, summaries] = await Promise.all([source.portfolios(), source.latestSummaries()]);
      const latest = new Map(summaries.map((s) => [s.portfolio, s]));
      return {
        // Fields are copied one by one: nothing else a Portfolio might carry can reach the answer.
        portfolios: portfolios.map((p) => {
          const summary = latest.get(p.portfolio);
          return {
            portfolio: p.portfolio,
            exchange: p.exchange,
            status: p.status,
            position_threshold: p.positionThreshold,
            master_portfolio: p.masterPortfolio,
            composite: p.composite,
            latest: summary ? { total_usd_value: summary.totalUsdValue, current_time: iso(summary.currentTime)!, balances: { ...summary.balances } } : null,
          };
        }),
      };
    },
  );

  app.get<{ Querystring: PerformanceQuery }>(
    '/warehouse/performance',
    describe({
      tags,
      summary: 'Value, NAV and drawdown of a portfolio, master portfolio or composite over a range, downsampled for charts',
      description:
        'Rows are streamed from the mart and reduced on the way, so memory stays proportional to `points` whatever the range. ' +
        'A range of at most `points` rows is answered whole.',
      access: 'read',
      querystring: PerformanceQuery,
      response: { 200: PerformanceJson },
      errors: [503],
    }),
    async (request): Promise<z.output<typeof PerformanceJson>> => {
      const { kind, key, points } = request.query;
      const to = request.query.to ? new Date(request.query.to) : new Date();
      const from = request.query.from ? new Date(request.query.from) : new Date(0);
      if (from > to) throw new ApiError(400, 'invalid_range', '`from` is after `to`', [{ field: 'querystring.from', message: 'must not be after `to`' }]);
      const reducer = new ChartReducer(points, to.getTime());
      for await (const row of required().streamPerformance(kind, { keys: [key], from, to })) reducer.add(row);
      return {
        key,
        kind,
        rows: reducer.rows,
        points: reducer.result().map((r) => ({ t: iso(r.currentTime)!, total_usd_value: r.totalUsdValue, nav: r.nav, cd: r.cd, mdd: r.mdd, crr: r.crr })),
      };
    },
  );
}

/** Rows kept as they are, and time buckets used past that, per point answered. */
const OVERSAMPLING = 4;

interface Extremes {
  lo: PerformanceRow;
  hi: PerformanceRow;
}

/**
 * Reduces a time-ordered stream to at most `points` rows in O(points) memory.
 * Rows are buffered while there are few (a short series is answered whole);
 * past that they are folded into equal time buckets from the first row to
 * `end`, each keeping its lowest and highest NAV, and `downsample` picks the
 * answer from those candidates, so peaks and troughs (and with them the
 * drawdown's depth) survive both steps.
 */
class ChartReducer {
  rows = 0;
  private buffer: PerformanceRow[] = [];
  private buckets: (Extremes | undefined)[] | null = null;
  private first: PerformanceRow | null = null;
  private last: PerformanceRow | null = null;
  private start = 0;
  private width = 1;

  constructor(
    private readonly points: number,
    private readonly end: number,
  ) {}

  add(row: PerformanceRow): void {
    this.rows++;
    this.first ??= row;
    this.last = row;
    if (this.buckets) return this.fold(row, this.buckets);
    this.buffer.push(row);
    if (this.buffer.length <= OVERSAMPLING * this.points) return;
    const count = OVERSAMPLING * this.points;
    this.start = this.first.currentTime.getTime();
    this.width = Math.max(1, (this.end - this.start + 1) / count);
    const buckets = (this.buckets = new Array<Extremes | undefined>(count));
    for (const buffered of this.buffer) this.fold(buffered, buckets);
    this.buffer = [];
  }

  result(): PerformanceRow[] {
    if (!this.buckets) return downsample(this.buffer, this.points, nav);
    const candidates: PerformanceRow[] = [this.first!];
    for (const bucket of this.buckets) {
      if (!bucket) continue;
      const [a, b] = bucket.lo.currentTime <= bucket.hi.currentTime ? [bucket.lo, bucket.hi] : [bucket.hi, bucket.lo];
      for (const row of a === b ? [a] : [a, b]) if (row !== this.first && row !== this.last) candidates.push(row);
    }
    candidates.push(this.last!);
    return downsample(candidates, this.points, nav);
  }

  private fold(row: PerformanceRow, buckets: (Extremes | undefined)[]): void {
    const index = Math.min(buckets.length - 1, Math.max(0, Math.floor((row.currentTime.getTime() - this.start) / this.width)));
    const bucket = buckets[index];
    if (!bucket) {
      buckets[index] = { lo: row, hi: row };
      return;
    }
    if (row.nav < bucket.lo.nav) bucket.lo = row;
    if (row.nav > bucket.hi.nav) bucket.hi = row;
  }
}

const nav = (row: PerformanceRow): number => row.nav;
