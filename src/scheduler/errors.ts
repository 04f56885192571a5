import type { KwargsIssue } from './job-type.js';

/** Stable error codes of the engine; the API maps them to HTTP statuses in one place. */
export type SchedulerErrorCode =
  | 'job_not_found'
  | 'job_exists'
  | 'invalid_kwargs'
  | 'invalid_trigger'
  | 'invalid_definition'
  | 'unknown_job_type';

export class SchedulerError extends Error {
  constructor(
    readonly code: SchedulerErrorCode,
    message: string,
    readonly details?: readonly { readonly field: string; readonly message: string }[],
  ) {
    super(message);
    this.name = 'SchedulerError';
  }
}

export function jobNotFound(id: string): SchedulerError {
  return new SchedulerError('job_not_found', `Job '${id}' not found`);
}

export function invalidKwargs(jobId: string, issues: readonly KwargsIssue[]): SchedulerError {
  const details = issues.map((i) => ({ field: i.path ? `kwargs.${i.path}` : 'kwargs', message: i.message }));
  return new SchedulerError(
    'invalid_kwargs',
    `job '${jobId}': invalid kwargs: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    details,
  );
}

/** Coerces anything thrown into an Error (jobs may throw strings or objects). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
