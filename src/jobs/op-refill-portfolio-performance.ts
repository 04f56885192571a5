/** OP_refill_portfolio_performance: recompute portfolio_performance over a range (see src/marts/README.md). */
import type { JobType } from '../scheduler/job-type.js';
import { refillJob } from '../marts/job-types.js';
import type { WarehouseAccess } from '../marts/refill.js';

export function createOpRefillPortfolioPerformanceJob(deps: WarehouseAccess): JobType {
  return refillJob('portfolio', 'OP_refill_portfolio_performance', deps);
}
