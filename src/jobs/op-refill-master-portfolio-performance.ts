/** OP_refill_master_portfolio_performance: recompute master_portfolio_performance over a range (see src/marts/README.md). */
import type { JobType } from '../scheduler/job-type.js';
import { refillJob } from '../marts/job-types.js';
import type { WarehouseAccess } from '../marts/refill.js';

export function createOpRefillMasterPortfolioPerformanceJob(deps: WarehouseAccess): JobType {
  return refillJob('master', 'OP_refill_master_portfolio_performance', deps);
}
