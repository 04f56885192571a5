import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { ApiError } from '../errors.js';
import type { DescribeRoute } from '../route-options.js';
import { IsoTime, JobIdParams } from '../schema/common.js';
import { RUN_STATUSES, RunJson, RunPageJson } from '../schema/scheduler.js';
import { runJson } from '../serialize.js';

const RunsQuery = z.strictObject({
  status: z.array(z.enum(RUN_STATUSES)).optional().describe('Only runs in these states (repeat the parameter for several)'),
  from: IsoTime.optional().describe('Scheduled at or after'),
  to: IsoTime.optional().describe('Scheduled before'),
  limit: z.int().min(1).max(500).default(50),
  offset: z.int().min(0).default(0),
});
type RunsQuery = z.output<typeof RunsQuery>;

const RunIdParams = z.strictObject({ run_id: z.string().regex(/^[0-9]+$/).max(20) });

/** The fire ledger: a job's runs (filtered, paged) and one run with its log tail. */
export function registerRunRoutes(app: FastifyInstance, scheduler: Scheduler, describe: DescribeRoute): void {
  const tags = ['runs'];
  app.get<{ Params: JobIdParams; Querystring: RunsQuery }>(
    '/scheduler/jobs/:job_id/runs',
    describe({
      tags,
      summary: "A job's run history, newest first",
      description: 'Also answers for a deleted job (e.g. a finished manual copy) while its history is kept.',
      access: 'read',
      params: JobIdParams,
      querystring: RunsQuery,
      response: { 200: RunPageJson },
      errors: [404],
    }),
    async (request) => {
      const { status, from, to, limit, offset } = request.query;
      const jobId = request.params.job_id;
      const page = await scheduler.listRuns({
        jobId,
        ...(status ? { statuses: status } : {}),
        ...(from ? { from: Date.parse(from) } : {}),
        ...(to ? { to: Date.parse(to) } : {}),
        limit,
        offset,
      });
      if (page.total === 0 && !(await scheduler.getJob(jobId)) && (await scheduler.listRuns({ jobId, limit: 1, offset: 0 })).total === 0) {
        await scheduler.requireJob(jobId);
      }
      return { runs: page.runs.map((run) => runJson(run, false)), total: page.total, limit, offset };
    },
  );

  app.get<{ Params: z.output<typeof RunIdParams> }>(
    '/scheduler/runs/:run_id',
    describe({ tags, summary: 'One run with its log tail', access: 'read', params: RunIdParams, response: { 200: RunJson }, errors: [404] }),
    async (request) => {
      const run = await scheduler.getRun(request.params.run_id);
      if (!run) throw new ApiError(404, 'run_not_found', `Run '${request.params.run_id}' not found`);
      return runJson(run, true);
    },
  );
}
