import { createDataAccountSummaryJob } from '../jobs/data-account-summary-1-minute.js';
import { createMartMasterPortfolioPerformanceJob } from '../jobs/mart-master-portfolio-performance.js';
import { createMartPortfolioPerformanceJob } from '../jobs/mart-portfolio-performance.js';
import { httpRequestJob } from '../jobs/http-request.js';
import { createOpDeleteDuplicateDataJob } from '../jobs/op-delete-duplicate-data.js';
import { createOpInsertDataJob } from '../jobs/op-insert-data.js';
import { createOpRefillMasterPortfolioPerformanceJob } from '../jobs/op-refill-master-portfolio-performance.js';
import { createOpRefillPortfolioPerformanceJob } from '../jobs/op-refill-portfolio-performance.js';
import type { JobTypeRegistry } from '../scheduler/job-type-registry.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Alerter } from '../notify/alerter.js';

/** What built-in job types receive from the composition root. */
export interface JobTypeDeps {
  readonly warehouse: Warehouse;
  /** Opens the other database pair (test or production) for jobs that cross them. */
  readonly openWarehouse: (isTest: boolean) => Promise<Warehouse>;
  /** ETL_TOTAL_USD_VALUE_ALERT's alerter; null when that webhook is unset. */
  readonly thresholdAlerter: Alerter | null;
  /** ETL_PROCESS_WEBHOOK's alerter; null when that webhook is unset. */
  readonly processAlerter: Alerter | null;
}

/** Registers every built-in job type under its jobs.yaml name. */
export function registerBuiltInJobTypes(registry: JobTypeRegistry, deps: JobTypeDeps): void {
  registry
    .register(httpRequestJob)
    .register(createDataAccountSummaryJob(deps))
    .register(createOpInsertDataJob(deps))
    .register(createOpDeleteDuplicateDataJob(deps))
    .register(createMartPortfolioPerformanceJob(deps))
    .register(createMartMasterPortfolioPerformanceJob(deps))
    .register(createOpRefillPortfolioPerformanceJob(deps))
    .register(createOpRefillMasterPortfolioPerformanceJob(deps));
}
