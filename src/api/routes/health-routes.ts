import type { FastifyInstance } from 'fastify';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { statusJson } from '../serialize.js';

export function registerHealthRoutes(app: FastifyInstance, scheduler: Scheduler): void {
  app.get('/health', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/health/', 307));
  app.get('/health/', { schema: { tags: ['health'], summary: 'Service heartbeat plus scheduler state (original endpoint)' } }, async () => ({
    ok: true,
    scheduler: statusJson(await scheduler.status()),
  }));
  app.get('/livez', { schema: { tags: ['health'], summary: 'Liveness: the process answers' } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { tags: ['health'], summary: 'Readiness: the scheduler runs and its store answers' } }, async (_request, reply) => {
    try {
      if (await scheduler.ready()) return { ok: true };
      return reply.status(503).send({ error: 'not_ready', message: 'the scheduler is not running' });
    } catch {
      return reply.status(503).send({ error: 'not_ready', message: 'the job store does not answer' });
    }
  });
}
