import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { parseDefinition, type DefinitionIssue } from '../../scheduler/definition-input.js';
import { SchedulerError } from '../../scheduler/errors.js';
import type { JobView, Scheduler } from '../../scheduler/scheduler.js';
import type { JobDefinition } from '../../scheduler/types.js';
import { ApiError } from '../errors.js';
import { entryOf, mergePatch } from '../job-entry.js';
import type { DescribeRoute } from '../route-options.js';
import { JobIdParams } from '../schema/common.js';
import { CreateJobBody, PatchJobBody, TriggerSpecBody } from '../schema/job-input.js';
import { JobJson } from '../schema/scheduler.js';
import { jobJson } from '../serialize.js';

/**
 * APScheduler's add_job / modify_job / reschedule_job / remove_job. Every
 * change is parsed and validated whole before the one store write, so a bad
 * request changes nothing. Jobs owned by jobs.yaml are refused (409): the next
 * reload would silently undo the change; edit the file instead.
 */
export function registerJobCrudRoutes(app: FastifyInstance, scheduler: Scheduler, describe: DescribeRoute): void {
  const tags = ['jobs'];

  app.post<{ Body: z.output<typeof CreateJobBody> }>(
    '/scheduler/jobs',
    describe({
      tags,
      summary: 'Add a job (APScheduler add_job); it survives reloads of jobs.yaml',
      access: 'write',
      body: CreateJobBody,
      response: { 201: JobJson },
      errors: [409],
    }),
    async (request, reply) => {
      const view = await underBody(scheduler.addJob(parsed(request.body)));
      return reply.status(201).header('location', `/scheduler/jobs/${encodeURIComponent(view.job.id)}`).send(jobJson(view));
    },
  );

  app.patch<{ Params: JobIdParams; Body: z.output<typeof PatchJobBody> }>(
    '/scheduler/jobs/:job_id',
    describe({
      tags,
      summary: 'Modify a job (APScheduler modify_job): kwargs are merge-patched, options replaced',
      description: 'Redacted values shown by GET are placeholders: send only the keys you change.',
      access: 'write',
      params: JobIdParams,
      body: PatchJobBody,
      response: { 200: JobJson },
      errors: [404, 409],
    }),
    async (request) => {
      const { kwargs, ...options } = request.body;
      return jobJson(
        await modify(request.params.job_id, (entry) => ({
          ...entry.trigger,
          ...entry.options,
          ...options,
          kwargs: kwargs === undefined ? entry.options['kwargs'] : mergePatch(entry.options['kwargs'], kwargs),
        })),
      );
    },
  );

  app.put<{ Params: JobIdParams; Body: z.output<typeof TriggerSpecBody> }>(
    '/scheduler/jobs/:job_id/trigger',
    describe({
      tags,
      summary: 'Reschedule a job (APScheduler reschedule_job): replace its trigger',
      access: 'write',
      params: JobIdParams,
      body: TriggerSpecBody,
      response: { 200: JobJson },
      errors: [404, 409],
    }),
    async (request) => {
      const spec = request.body;
      return jobJson(
        await modify(request.params.job_id, (entry) => {
          const misplaced = Object.keys(spec).filter((key) => key in entry.options);
          if (misplaced.length || Object.keys(spec).length === 0) {
            const details = misplaced.map((key) => ({ field: `body.${key}`, message: 'not a trigger field; change options with PATCH /scheduler/jobs/{job_id}' }));
            throw new ApiError(400, 'invalid_request', details.length ? details.map((d) => `${d.field}: ${d.message}`).join('; ') : 'body: expected a trigger spec', details);
          }
          return { ...entry.options, ...spec };
        }),
      );
    },
  );

  app.delete<{ Params: JobIdParams }>(
    '/scheduler/jobs/:job_id',
    describe({ tags, summary: 'Remove a job (APScheduler remove_job); its run history is kept', access: 'write', params: JobIdParams, response: { 204: null }, errors: [404, 409] }),
    async (request, reply) => {
      await ownedByApi(request.params.job_id);
      await scheduler.removeJob(request.params.job_id);
      return reply.status(204).send();
    },
  );

  /** Rebuilds the stored job's entry through `change` and stores the result if it parses and validates. */
  async function modify(id: string, change: (entry: ReturnType<typeof entryOf>) => Record<string, unknown>): Promise<JobView> {
    const job = await ownedByApi(id);
    return underBody(scheduler.updateJob({ ...parsed(change(entryOf(job))), owner: job.owner }));
  }

  async function ownedByApi(id: string): Promise<JobDefinition> {
    const { job } = await scheduler.requireJob(id);
    if (job.owner === 'yaml') {
      throw new ApiError(409, 'job_owned_by_file', `job '${id}' is defined in jobs.yaml: change it there and POST /scheduler/reload`);
    }
    return job;
  }

  function parsed(entry: unknown): JobDefinition {
    const result = parseDefinition(entry, 'api');
    if (result.ok) return result.definition;
    throw invalidDefinition(result.issues);
  }
}

/** The engine names definition fields (`kwargs.x`, `trigger`); here they came from the body, as Ajv's do. */
async function underBody<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof SchedulerError) || !error.details) throw error;
    throw new SchedulerError(error.code, error.message, error.details.map((d) => ({ field: `body.${d.field}`, message: d.message })));
  }
}

function invalidDefinition(issues: readonly DefinitionIssue[]): SchedulerError {
  const details = issues.map((issue) => ({ field: issue.key ? `body.${issue.key}` : 'body', message: issue.message }));
  return new SchedulerError('invalid_definition', `invalid job: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
}
