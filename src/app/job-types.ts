import { httpRequestJob } from '../jobs/http-request.js';
import type { JobTypeRegistry } from '../scheduler/job-type-registry.js';

/** Registers every built-in job type under its jobs.yaml name. */
export function registerBuiltInJobTypes(registry: JobTypeRegistry): void {
  registry.register(httpRequestJob);
}
