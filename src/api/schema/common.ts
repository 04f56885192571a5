import { z } from 'zod';

/** The one error body of the API. */
export const ErrorBody = z.object({
  error: z.string().describe('Stable machine-readable code, e.g. job_not_found, invalid_request'),
  message: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('One entry per bad field'),
});
export type ErrorBody = z.output<typeof ErrorBody>;

/** UTC ISO-8601 with `Z` (the original's format). */
export const IsoTime = z.string().meta({ format: 'date-time' });

export const JobIdParams = z.strictObject({ job_id: z.string().min(1).max(300) });
export type JobIdParams = z.output<typeof JobIdParams>;

/** JSON object whose keys are the caller's (kwargs, trigger specs, results). */
export const OpenObject = z.record(z.string(), z.unknown());

export const Ok = z.object({ ok: z.literal(true) });
