import type { FastifyInstance } from 'fastify';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { ReconcileDiff } from '../../scheduler/store.js';
import type { DescribeRoute } from '../route-options.js';
import { InstancesJson, ReloadJson, SchedulerStatusJson } from '../schema/scheduler.js';
import { statusJson } from '../serialize.js';

/** The scheduler as a whole: status, pause/resume of every job, jobs.yaml reload. */
export function registerSchedulerRoutes(app: FastifyInstance, scheduler: Scheduler, reload: () => Promise<ReconcileDiff>, describe: DescribeRoute): void {
  const tags = ['scheduler'];
  app.get('/scheduler/status', describe({ tags, summary: 'Scheduler state, job count, next run time, timezone', access: 'read', response: { 200: SchedulerStatusJson } }), async () =>
    statusJson(await scheduler.status()),
  );

  app.get(
    '/scheduler/instances',
    describe({ tags, summary: 'Instances sharing the job store, with their heartbeats', access: 'read', response: { 200: InstancesJson } }),
    async () => {
      const now = Date.now();
      const lease = scheduler.leaseMs;
      return {
        instances: (await scheduler.listInstances()).map((i) => ({
          instance_id: i.id,
          host: i.host,
          pid: i.pid,
          version: i.version,
          started_at: new Date(i.startedAt).toISOString(),
          heartbeat_at: new Date(i.heartbeatAt).toISOString(),
          alive: now - i.heartbeatAt < lease,
        })),
      };
    },
  );

  app.post(
    '/scheduler/reload',
    describe({
      tags,
      summary: 'Reload jobs.yaml as a diff (API-created jobs are kept)',
      description:
        'A bad file answers 400 `invalid_jobs_file` with every problem in `details`; the running definitions stay as they were. ' +
        'In a cluster, a file older than the one another instance already applied (older Kairos version, or older file) answers 409 `stale_jobs_file`: the newest deploy wins.',
      access: 'write',
      response: { 202: ReloadJson },
      errors: [400, 409],
    }),
    async (_request, reply) => reply.status(202).send({ message: 'Jobs reloaded', ...(await reload()) }),
  );

  app.post('/scheduler/pause', describe({ tags, summary: 'Pause the whole scheduler (persists across restarts)', access: 'write', response: { 202: SchedulerStatusJson } }), async (_request, reply) => {
    await scheduler.pauseAll();
    return reply.status(202).send(statusJson(await scheduler.status()));
  });

  app.post('/scheduler/resume', describe({ tags, summary: 'Resume the whole scheduler', access: 'write', response: { 202: SchedulerStatusJson } }), async (_request, reply) => {
    await scheduler.resumeAll();
    return reply.status(202).send(statusJson(await scheduler.status()));
  });
}
