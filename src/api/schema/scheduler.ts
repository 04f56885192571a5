import { z } from 'zod';
import { FINAL_RUN_STATUSES } from '../../scheduler/types.js';
import { IsoTime, OpenObject } from './common.js';

/** Response shapes of the original API (seed/responses) plus Kairos' additions beside them. */

export const SchedulerStatusJson = z.object({
  state: z.enum(['running', 'paused', 'stopped']),
  running: z.boolean(),
  job_count: z.int(),
  next_run_time: IsoTime.nullable(),
  started_at: IsoTime.nullable(),
  timezone: z.string(),
  instance_id: z.string(),
});

export const InstancesJson = z.object({
  instances: z.array(
    z.object({
      instance_id: z.string(),
      host: z.string(),
      pid: z.int(),
      version: z.string(),
      started_at: IsoTime,
      heartbeat_at: IsoTime,
      /** The last heartbeat is younger than the lease: the instance is taken as alive. */
      alive: z.boolean(),
    }),
  ),
});

export const JOB_EVENT_NAMES = ['submitted', 'success', 'error', 'missed', 'timeout', 'abandoned', 'skipped', 'cancelled', 'coalesced', 'queued'] as const;

export const EventJson = z.object({
  event: z.enum(JOB_EVENT_NAMES),
  recorded_at: IsoTime,
  scheduled_at: IsoTime,
  duration_ms: z.number().nullable(),
  message: z.string().nullable(),
});

export const StatsJson = z.object({
  total_runs: z.int(),
  total_success: z.int(),
  total_error: z.int(),
  total_missed: z.int(),
  last_event: z.string().nullable(),
  last_scheduled_at: IsoTime.nullable(),
  last_started_at: IsoTime.nullable(),
  last_finished_at: IsoTime.nullable(),
  last_duration_ms: z.number().nullable(),
  last_error: z.string().nullable(),
  history: z.array(EventJson).describe('The last 50 events, oldest first'),
});

export const JobJson = z.object({
  id: z.string(),
  name: z.string(),
  func_ref: z.string().describe('The jobs.yaml `func`'),
  next_run_time: IsoTime.nullable().describe('null when paused, disabled, finished or dependency-only'),
  trigger: z.string().describe("APScheduler's string form, e.g. cron[second='*/5']"),
  trigger_spec: OpenObject.nullable().describe('The trigger in jobs.yaml keyword style; null for a dependency-only job'),
  kwargs: z
    .object({ func_spec: z.string(), job_id: z.string(), kwargs: OpenObject })
    .describe("The original runner's wrapper; the job's kwargs are in `kwargs.kwargs` (secrets redacted)"),
  coalesce: z.boolean(),
  max_instances: z.int(),
  misfire_grace_time: z.number().nullable(),
  paused: z.boolean(),
  owner: z.enum(['yaml', 'api', 'manual']).describe('yaml: change it in jobs.yaml; api: created through the API; manual: a one-off copy'),
  options: z.object({
    timeout: z.number().nullable(),
    retries: z.object({ max: z.int(), backoff: z.number(), max_backoff: z.number() }),
    depends_on: z.array(z.string()),
    enabled: z.boolean(),
    catch_up: z.union([z.enum(['latest', 'all']), z.object({ max: z.int() })]),
    overlap: z.enum(['skip', 'queue', 'replace']),
    alert_if_no_success_within: z.number().nullable(),
  }),
  stats: StatsJson,
});

export const JobListJson = z.object({ jobs: z.array(JobJson), count: z.int() });

export const TriggerResultJson = z.object({
  job_id: z.string(),
  scheduled_job_id: z.string().describe('The job itself, or its one-off copy `<job_id>__manual__<epoch ms>` when overrides were given'),
  scheduled_for: IsoTime,
  overrides: z.object({ kwargs: OpenObject }).nullable(),
});

export const RUN_STATUSES = ['pending', 'running', ...FINAL_RUN_STATUSES] as const;

export const RunJson = z.object({
  id: z.string(),
  job_id: z.string(),
  scheduled_at: IsoTime,
  attempt: z.int(),
  kind: z.enum(['schedule', 'manual', 'retry', 'dependency']),
  status: z.enum(RUN_STATUSES),
  due_at: IsoTime.nullable(),
  instance_id: z.string().nullable(),
  submitted_at: IsoTime,
  started_at: IsoTime.nullable(),
  finished_at: IsoTime.nullable(),
  duration_ms: z.number().nullable(),
  lateness_ms: z.number().nullable().describe('Start minus scheduled time'),
  message: z.string().nullable(),
  error: z.string().nullable(),
  result: OpenObject.nullable(),
  log_tail: z.array(z.string()).optional().describe('Last lines of the run log (one run only)'),
});

export const RunPageJson = z.object({ runs: z.array(RunJson), total: z.int(), limit: z.int(), offset: z.int() });

export const ReloadJson = z.object({ message: z.string(), added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()) });

export const FireTimesJson = z.object({ fire_times: z.array(IsoTime) });
