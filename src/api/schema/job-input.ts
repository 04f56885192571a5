import { z } from 'zod';
import { JOB_ID_PATTERN } from '../../scheduler/definition-input.js';
import { IsoTime, OpenObject } from './common.js';

/**
 * Request bodies of job CRUD, in jobs.yaml's APScheduler keyword style. Ajv
 * checks the types here; `parseDefinition` (the same parser as jobs.yaml) and
 * the engine check the rest (durations, trigger fields, kwargs of the job type).
 */

const Duration = z.union([z.number().min(0), z.string()]).nullable().describe('Seconds, or a duration such as 90s, 15m, 2h');

const OPTION_FIELDS = {
  coalesce: z.boolean().optional(),
  max_instances: z.int().min(1).optional(),
  misfire_grace_time: Duration.optional().describe('Seconds; null: run however late'),
  timeout: Duration.optional(),
  retries: z
    .union([z.int().min(0), z.strictObject({ max: z.int().min(0).optional(), backoff: Duration.optional(), max_backoff: Duration.optional() })])
    .nullable()
    .optional(),
  depends_on: z.union([z.string(), z.array(z.string())]).nullable().optional(),
  enabled: z.boolean().optional(),
  catch_up: z.union([z.enum(['latest', 'all']), z.int().min(1)]).nullable().optional(),
  overlap: z.enum(['skip', 'queue', 'replace']).nullable().optional(),
  alert_if_no_success_within: Duration.optional(),
};

const TRIGGER_KIND = z.enum(['cron', 'interval', 'date']);

export const CreateJobBody = z
  .looseObject({
    id: z.string().regex(JOB_ID_PATTERN),
    func: z.string().min(1).describe('A registered job type (GET /job-types)'),
    trigger: TRIGGER_KIND.optional(),
    kwargs: OpenObject.optional().describe("Checked against the job type's kwargs_schema. `${ENV}` is not expanded here"),
    ...OPTION_FIELDS,
  })
  .describe(
    'A jobs.yaml entry: the trigger fields sit beside the options (`trigger: cron, second: "*/10"`, `cron: "0 3 * * *"`, `trigger: interval, minutes: 5`, `run_date: ...`)',
  );

export const PatchJobBody = z
  .strictObject({
    func: z.string().min(1).optional(),
    kwargs: OpenObject.optional().describe('A JSON merge patch over the stored kwargs: a key set to null is removed'),
    ...OPTION_FIELDS,
  })
  .describe('Options to change; absent ones keep their stored value. The trigger changes through PUT .../trigger');

export const TriggerSpecBody = z
  .looseObject({ trigger: TRIGGER_KIND.optional() })
  .describe('A trigger in jobs.yaml keyword style, e.g. {"trigger":"cron","hour":3,"timezone":"Asia/Taipei"} or {"cron":"0 3 * * *"}');

const Count = z.int().min(0).max(1000).default(10).describe('How many fire times');

export const PreviewQuery = z.strictObject({
  spec: z.string().min(2).max(4096).describe('The trigger spec as JSON, e.g. {"trigger":"cron","second":"*/10"}'),
  count: Count,
  from: IsoTime.optional().describe('Preview as if the job were added at this time; default now'),
});

export const JobPreviewQuery = z.strictObject({ count: Count });
