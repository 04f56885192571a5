/** MART_portfolio_performance: the SPEC 13 chain per portfolio (see src/marts/README.md). */
import type { JobType } from '../scheduler/job-type.js';
import { liveMartJob } from '../marts/job-types.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export function createMartPortfolioPerformanceJob(deps: { readonly warehouse: Warehouse }): JobType {
  return liveMartJob('portfolio', 'MART_portfolio_performance', deps);
}
