import type { FastifyInstance } from 'fastify';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { ReconcileDiff } from '../../scheduler/store.js';
import { FINAL_RUN_STATUSES, type RunStatus } from '../../scheduler/types.js';
import type { Authenticate } from '../server.js';
import { ApiError } from '../errors.js';
import { jobJson, runJson, statusJson, triggerJson } from '../serialize.js';

const jobIdParams = {
  type: 'object',
  properties: { job_id: { type: 'string', minLength: 1, maxLength: 300 } },
  required: ['job_id'],
} as const;

const triggerBody = {
  type: ['object', 'null'],
  properties: {
    overrides: {
      type: 'object',
      properties: { kwargs: { type: 'object', additionalProperties: true } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const RUN_STATUSES: readonly RunStatus[] = ['pending', 'running', ...FINAL_RUN_STATUSES];

const runsQuery = {
  type: 'object',
  properties: {
    status: { type: 'array', items: { type: 'string', enum: RUN_STATUSES } },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
  additionalProperties: false,
} as const;

export function registerSchedulerRoutes(
  app: FastifyInstance,
  scheduler: Scheduler,
  reload: () => Promise<ReconcileDiff>,
  authenticate: Authenticate,
): void {
  const read = { onRequest: async (request: Parameters<Authenticate>[0]) => authenticate(request, false) };
  const write = { onRequest: async (request: Parameters<Authenticate>[0]) => authenticate(request, true) };

  app.get('/scheduler/status', { ...read, schema: { tags: ['scheduler'], summary: 'Scheduler state, job count, next run time, timezone' } }, async () =>
    statusJson(await scheduler.status()),
  );

  app.get('/scheduler/jobs', { ...read, schema: { tags: ['jobs'], summary: 'All jobs ordered by next run time, with stats' } }, async () => {
    const jobs = (await scheduler.listJobs()).map(jobJson);
    return { jobs, count: jobs.length };
  });

  app.get<{ Params: { job_id: string } }>(
    '/scheduler/jobs/:job_id',
    { ...read, schema: { tags: ['jobs'], summary: 'One job with its telemetry', params: jobIdParams } },
    async (request) => jobJson(await scheduler.requireJob(request.params.job_id)),
  );

  app.post<{ Params: { job_id: string }; Body: { overrides?: { kwargs?: Record<string, unknown> } } | null | undefined }>(
    '/scheduler/jobs/:job_id/trigger',
    {
      ...write,
      schema: {
        tags: ['jobs'],
        summary: 'Run a job now; with overrides.kwargs a one-off copy runs with them',
        params: jobIdParams,
        body: triggerBody,
      },
    },
    async (request, reply) => {
      const kwargs = request.body?.overrides?.kwargs;
      const overrides = kwargs && Object.keys(kwargs).length ? { kwargs } : null;
      return reply.status(202).send(triggerJson(await scheduler.triggerJob(request.params.job_id, overrides)));
    },
  );

  app.post<{ Params: { job_id: string } }>(
    '/scheduler/jobs/:job_id/pause',
    { ...write, schema: { tags: ['jobs'], summary: 'Pause a job (next_run_time becomes null)', params: jobIdParams } },
    async (request, reply) => reply.status(202).send(jobJson(await scheduler.pauseJob(request.params.job_id))),
  );

  app.post<{ Params: { job_id: string } }>(
    '/scheduler/jobs/:job_id/resume',
    { ...write, schema: { tags: ['jobs'], summary: 'Resume a job; its next fire time is computed from now', params: jobIdParams } },
    async (request, reply) => reply.status(202).send(jobJson(await scheduler.resumeJob(request.params.job_id))),
  );

  app.post('/scheduler/reload', { ...write, schema: { tags: ['scheduler'], summary: 'Reload jobs.yaml as a diff (API-created jobs are kept)' } }, async (_request, reply) => {
    const diff = await reload();
    return reply.status(202).send({ message: 'Jobs reloaded', ...diff });
  });

  app.post('/scheduler/pause', { ...write, schema: { tags: ['scheduler'], summary: 'Pause the whole scheduler' } }, async (_request, reply) => {
    await scheduler.pauseAll();
    return reply.status(202).send(statusJson(await scheduler.status()));
  });

  app.post('/scheduler/resume', { ...write, schema: { tags: ['scheduler'], summary: 'Resume the whole scheduler' } }, async (_request, reply) => {
    await scheduler.resumeAll();
    return reply.status(202).send(statusJson(await scheduler.status()));
  });

  app.get<{ Params: { job_id: string }; Querystring: { status?: RunStatus[]; from?: string; to?: string; limit: number; offset: number } }>(
    '/scheduler/jobs/:job_id/runs',
    { ...read, schema: { tags: ['runs'], summary: "A job's run history, newest first", params: jobIdParams, querystring: runsQuery } },
    async (request) => {
      const { status, from, to, limit, offset } = request.query;
      await scheduler.requireJob(request.params.job_id).catch(async (error) => {
        // A deleted job (e.g. a finished manual copy) still has its history.
        if ((await scheduler.listRuns({ jobId: request.params.job_id, limit: 1, offset: 0 })).total === 0) throw error;
      });
      const page = await scheduler.listRuns({
        jobId: request.params.job_id,
        ...(status ? { statuses: status } : {}),
        ...(from ? { from: Date.parse(from) } : {}),
        ...(to ? { to: Date.parse(to) } : {}),
        limit,
        offset,
      });
      return { runs: page.runs.map((r) => runJson(r, false)), total: page.total, limit, offset };
    },
  );

  app.get<{ Params: { run_id: string } }>(
    '/scheduler/runs/:run_id',
    {
      ...read,
      schema: {
        tags: ['runs'],
        summary: 'One run with its log tail',
        params: { type: 'object', properties: { run_id: { type: 'string', pattern: '^[0-9]+$' } }, required: ['run_id'] },
      },
    },
    async (request) => {
      const run = await scheduler.getRun(request.params.run_id);
      if (!run) throw new ApiError(404, 'run_not_found', `Run '${request.params.run_id}' not found`);
      return runJson(run, true);
    },
  );
}
