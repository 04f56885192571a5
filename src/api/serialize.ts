import type { z } from 'zod';
import type { JobEvent } from '../scheduler/events.js';
import type { JobView, SchedulerStatus, TriggerResult } from '../scheduler/scheduler.js';
import type { JobStats, RunRecord } from '../scheduler/types.js';
import { iso } from '../shared/iso-time.js';
import { redactPayload, redactText } from './redact.js';
import type { EventJson, JobJson, RunJson, SchedulerStatusJson, StatsJson, TriggerResultJson } from './schema/scheduler.js';

/**
 * Engine records to the response shapes of schema/scheduler.ts (the original
 * API's, see shared/seed/responses). The return types come from those schemas,
 * so a field added here but not there fails to compile. Times are UTC ISO-8601
 * with `Z`; caller-defined payloads and free text are redacted.
 */
export function statusJson(status: SchedulerStatus): z.output<typeof SchedulerStatusJson> {
  return {
    state: status.state,
    running: status.running,
    job_count: status.jobCount,
    next_run_time: iso(status.nextRunTime),
    started_at: iso(status.startedAt),
    timezone: status.timezone,
    instance_id: status.instanceId,
  };
}

export function eventJson(event: JobEvent): z.output<typeof EventJson> {
  return {
    event: event.event,
    recorded_at: iso(event.recordedAt)!,
    scheduled_at: iso(event.scheduledAt)!,
    duration_ms: event.durationMs,
    message: redactText(event.message),
  };
}

export function statsJson(stats: JobStats, history: readonly JobEvent[]): z.output<typeof StatsJson> {
  return {
    total_runs: stats.totalRuns,
    total_success: stats.totalSuccess,
    total_error: stats.totalError,
    total_missed: stats.totalMissed,
    last_event: stats.lastEvent,
    last_scheduled_at: iso(stats.lastScheduledAt),
    last_started_at: iso(stats.lastStartedAt),
    last_finished_at: iso(stats.lastFinishedAt),
    last_duration_ms: stats.lastDurationMs,
    last_error: redactText(stats.lastError),
    history: history.map(eventJson),
  };
}

export function jobJson(view: JobView): z.output<typeof JobJson> {
  const { job } = view;
  return {
    id: job.id,
    name: job.id,
    func_ref: job.func,
    next_run_time: iso(job.nextRunTime),
    trigger: view.trigger?.describe() ?? `depends_on[${job.options.dependsOn.join(', ')}]`,
    trigger_spec: job.trigger,
    // The original runner's wrapper; clients read `kwargs.kwargs`.
    kwargs: { func_spec: job.func, job_id: job.id, kwargs: redactPayload({ ...job.kwargs }) },
    coalesce: job.options.coalesce,
    max_instances: job.options.maxInstances,
    misfire_grace_time: job.options.misfireGraceTime,
    paused: job.paused,
    owner: job.owner,
    options: {
      timeout: job.options.timeout,
      retries: { max: job.options.retries.max, backoff: job.options.retries.backoffSeconds, max_backoff: job.options.retries.maxBackoffSeconds },
      depends_on: [...job.options.dependsOn],
      enabled: job.options.enabled,
      catch_up: job.options.catchUp,
      overlap: job.options.overlap,
      alert_if_no_success_within: job.options.alertIfNoSuccessWithin,
    },
    stats: statsJson(view.stats, view.history),
  };
}

export function triggerJson(result: TriggerResult): z.output<typeof TriggerResultJson> {
  return {
    job_id: result.jobId,
    scheduled_job_id: result.scheduledJobId,
    scheduled_for: iso(result.scheduledFor)!,
    overrides: result.overrides ? { kwargs: redactPayload(result.overrides.kwargs) } : null,
  };
}

export function runJson(run: RunRecord, withLog: boolean): z.output<typeof RunJson> {
  return {
    id: run.id,
    job_id: run.jobId,
    scheduled_at: iso(run.scheduledAt)!,
    attempt: run.attempt,
    kind: run.kind,
    status: run.status,
    due_at: iso(run.dueAt),
    instance_id: run.instanceId,
    submitted_at: iso(run.submittedAt)!,
    started_at: iso(run.startedAt),
    finished_at: iso(run.finishedAt),
    duration_ms: run.durationMs,
    lateness_ms: run.startedAt ? run.startedAt.getTime() - run.scheduledAt.getTime() : null,
    message: redactText(run.message),
    error: redactText(run.error),
    result: run.result ? redactPayload({ ...run.result }) : null,
    ...(withLog ? { log_tail: run.logTail.map(redactText) } : {}),
  };
}
