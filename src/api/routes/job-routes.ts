import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { JobListCache } from '../job-list-cache.js';
import type { DescribeRoute } from '../route-options.js';
import { JobIdParams, OpenObject } from '../schema/common.js';
import { JobJson, JobListJson, TriggerResultJson } from '../schema/scheduler.js';
import { jobJson, triggerJson } from '../serialize.js';

/** The README's body; it may also be absent, `{}` or `{overrides: {}}` (the job itself runs). */
const TriggerBody = z
  .strictObject({ overrides: z.strictObject({ kwargs: OpenObject.optional() }).optional() })
  .nullable()
  .describe('Optional. With overrides.kwargs a one-off copy runs with the job kwargs overlaid by them');
type TriggerBody = z.output<typeof TriggerBody> | undefined;

/** The original endpoints on one job: read, run now, pause, resume. */
export function registerJobRoutes(app: FastifyInstance, scheduler: Scheduler, jobList: JobListCache, describe: DescribeRoute): void {
  const tags = ['jobs'];
  // The serialised body of the cached list, kept while the list is the same.
  let serialised: { jobs: unknown; body: string | Buffer | ArrayBuffer } | null = null;
  app.get('/scheduler/jobs', describe({ tags, summary: 'All jobs ordered by next run time, with stats', access: 'read', response: { 200: JobListJson } }), async (_request, reply) => {
    const jobs = await jobList.get();
    const body = serialised?.jobs === jobs ? serialised.body : (serialised = { jobs, body: reply.serialize({ jobs, count: jobs.length }) }).body;
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get<{ Params: JobIdParams }>(
    '/scheduler/jobs/:job_id',
    describe({ tags, summary: 'One job with its telemetry', access: 'read', params: JobIdParams, response: { 200: JobJson }, errors: [404] }),
    async (request) => jobJson(await scheduler.requireJob(request.params.job_id)),
  );

  app.post<{ Params: JobIdParams; Body: TriggerBody }>(
    '/scheduler/jobs/:job_id/trigger',
    describe({
      tags,
      summary: 'Run a job now; with overrides.kwargs a one-off copy runs with them',
      access: 'write',
      params: JobIdParams,
      body: TriggerBody,
      response: { 202: TriggerResultJson },
      errors: [404],
    }),
    async (request, reply) => {
      const kwargs = request.body?.overrides?.kwargs;
      const overrides = kwargs && Object.keys(kwargs).length ? { kwargs } : null;
      return reply.status(202).send(triggerJson(await scheduler.triggerJob(request.params.job_id, overrides)));
    },
  );

  app.post<{ Params: JobIdParams }>(
    '/scheduler/jobs/:job_id/pause',
    describe({ tags, summary: 'Pause a job (next_run_time becomes null)', access: 'write', params: JobIdParams, response: { 202: JobJson }, errors: [404] }),
    async (request, reply) => reply.status(202).send(jobJson(await scheduler.pauseJob(request.params.job_id))),
  );

  app.post<{ Params: JobIdParams }>(
    '/scheduler/jobs/:job_id/resume',
    describe({ tags, summary: 'Resume a job; its next fire time is computed from now', access: 'write', params: JobIdParams, response: { 202: JobJson }, errors: [404] }),
    async (request, reply) => reply.status(202).send(jobJson(await scheduler.resumeJob(request.params.job_id))),
  );
}
