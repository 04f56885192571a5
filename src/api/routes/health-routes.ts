import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { ApiError } from '../errors.js';
import type { DescribeRoute } from '../route-options.js';
import { Ok } from '../schema/common.js';
import { SchedulerStatusJson } from '../schema/scheduler.js';
import { statusJson } from '../serialize.js';

const HealthJson = z.object({ ok: z.literal(true), scheduler: SchedulerStatusJson });

/** Health probes stay open whatever KAIROS_AUTH_READS says: orchestrators call them without tokens. */
export function registerHealthRoutes(app: FastifyInstance, scheduler: Scheduler, describe: DescribeRoute): void {
  const tags = ['health'];
  app.get('/health', describe({ tags, summary: 'Redirects to /health/ (the original did)', access: 'open', response: { 307: null } }), async (_request, reply) =>
    reply.redirect('/health/', 307),
  );
  app.get('/health/', describe({ tags, summary: 'Service heartbeat plus scheduler state (original endpoint)', access: 'open', response: { 200: HealthJson } }), async () => ({
    ok: true,
    scheduler: statusJson(await scheduler.status()),
  }));
  app.get('/livez', describe({ tags, summary: 'Liveness: the process answers', access: 'open', response: { 200: Ok } }), async () => ({ ok: true }));
  app.get(
    '/readyz',
    describe({ tags, summary: 'Readiness: the scheduler runs and its store answers', access: 'open', response: { 200: Ok }, errors: [503] }),
    async () => {
      let ready: boolean;
      try {
        ready = await scheduler.ready();
      } catch {
        throw new ApiError(503, 'not_ready', 'the job store does not answer');
      }
      if (!ready) throw new ApiError(503, 'not_ready', 'the scheduler is not running');
      return { ok: true };
    },
  );
}
