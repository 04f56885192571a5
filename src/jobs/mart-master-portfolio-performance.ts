/** MART_master_portfolio_performance: the SPEC 13 chain per master portfolio and composite (see src/marts/README.md). */
import type { JobType } from '../scheduler/job-type.js';
import { liveMartJob } from '../marts/job-types.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export function createMartMasterPortfolioPerformanceJob(deps: { readonly warehouse: Warehouse }): JobType {
  return liveMartJob('master', 'MART_master_portfolio_performance', deps);
}
