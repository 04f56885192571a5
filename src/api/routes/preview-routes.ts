import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { fireTimesFrom, previewFireTimes, TriggerSpecError } from '../../scheduler/triggers/index.js';
import { iso } from '../../shared/iso-time.js';
import { ApiError } from '../errors.js';
import type { DescribeRoute } from '../route-options.js';
import { JobIdParams } from '../schema/common.js';
import { JobPreviewQuery, PreviewQuery } from '../schema/job-input.js';
import { FireTimesJson } from '../schema/scheduler.js';

/** Next fire times of a trigger spec (as `kairos schedule preview`) or of a stored job. */
export function registerPreviewRoutes(app: FastifyInstance, scheduler: Scheduler, describe: DescribeRoute): void {
  const tags = ['preview'];
  app.get<{ Querystring: z.output<typeof PreviewQuery> }>(
    '/scheduler/preview',
    describe({
      tags,
      summary: 'Next fire times of a trigger spec, as `kairos schedule preview`',
      access: 'read',
      querystring: PreviewQuery,
      response: { 200: FireTimesJson },
    }),
    async (request) => {
      const { count, from } = request.query;
      const spec = specOf(request.query.spec);
      try {
        return { fire_times: previewFireTimes(spec, from ? new Date(from) : new Date(), count).map((t) => iso(t)!) };
      } catch (error) {
        if (!(error instanceof TriggerSpecError)) throw error;
        const details = error.issues.map((i) => ({ field: i.field ? `querystring.spec.${i.field}` : 'querystring.spec', message: i.message }));
        throw new ApiError(400, 'invalid_trigger', `invalid trigger spec: ${error.message}`, details);
      }
    },
  );

  app.get<{ Params: JobIdParams; Querystring: z.output<typeof JobPreviewQuery> }>(
    '/scheduler/jobs/:job_id/preview',
    describe({
      tags,
      summary: "A job's next fire times, from its next run time",
      description: 'A paused job shows when it would fire if resumed now; a dependency-only or finished job has none.',
      access: 'read',
      params: JobIdParams,
      querystring: JobPreviewQuery,
      response: { 200: FireTimesJson },
      errors: [404],
    }),
    async (request) => {
      const { job, trigger } = await scheduler.requireJob(request.params.job_id);
      if (!trigger) return { fire_times: [] };
      const first = job.nextRunTime ?? trigger.nextFireTime(null, new Date());
      return { fire_times: fireTimesFrom(trigger, first, request.query.count).map((t) => iso(t)!) };
    },
  );
}

function specOf(text: string): { trigger: string } {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'invalid_request', `querystring.spec: not valid JSON: ${(error as Error).message}`, [
      { field: 'querystring.spec', message: 'not valid JSON' },
    ]);
  }
  if (typeof spec !== 'object' || spec === null || typeof (spec as { trigger?: unknown }).trigger !== 'string') {
    throw new ApiError(400, 'invalid_request', 'querystring.spec: expected a JSON object with "trigger": cron, interval or date', [
      { field: 'querystring.spec.trigger', message: 'expected cron, interval or date' },
    ]);
  }
  return spec as { trigger: string };
}
