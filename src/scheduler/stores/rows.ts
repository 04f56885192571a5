import type { JobRecord, JobStats, RunKind, RunRecord, RunStatus, RunSummary } from '../types.js';
import type { InstanceRecord } from '../store.js';

/**
 * Row shapes shared by the job stores: times in epoch ms; JSON as text
 * (SQLite) or already parsed (PostgreSQL jsonb); booleans as 0/1 or native.
 */
type Json = string | object;
export interface JobRow {
  id: string;
  func: string;
  trigger: Json | null;
  kwargs: Json;
  options: Json;
  owner: string;
  version: string;
  created_at: number;
  updated_at: number;
  next_run_time: number | null;
  paused: number | boolean;
}

export interface RunRow {
  id: number | string;
  job_id: string;
  scheduled_at: number;
  attempt: number;
  kind: string;
  status: string;
  due_at: number | null;
  kwargs: Json | null;
  instance_id: string | null;
  submitted_at: number;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  message: string | null;
  error: string | null;
  result: Json | null;
  log_tail: Json | null;
}

export interface StatsRow {
  job_id: string;
  total_runs: number;
  total_success: number;
  total_error: number;
  total_missed: number;
  last_event: string | null;
  last_scheduled_at: number | null;
  last_started_at: number | null;
  last_finished_at: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  last_success_at: number | null;
}

export interface InstanceRow {
  id: string;
  host: string;
  pid: number;
  version: string;
  started_at: number;
  heartbeat_at: number;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
const json = <T>(value: Json): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    func: row.func,
    trigger: row.trigger === null ? null : json(row.trigger),
    kwargs: json(row.kwargs),
    options: json(row.options),
    owner: row.owner as JobRecord['owner'],
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    nextRunTime: date(row.next_run_time),
    paused: row.paused === 1 || row.paused === true,
  };
}

export function toRun(row: RunRow): RunRecord {
  return {
    ...toRunSummary(row),
    attempt: row.attempt,
    kind: row.kind as RunKind,
    dueAt: date(row.due_at),
    kwargs: row.kwargs === null ? null : json(row.kwargs),
    instanceId: row.instance_id,
    result: row.result === null ? null : json(row.result),
    logTail: row.log_tail === null ? [] : json(row.log_tail),
  };
}

/** The columns `toRunSummary` reads. */
export const RUN_SUMMARY_COLUMNS = 'id, job_id, scheduled_at, status, submitted_at, started_at, finished_at, duration_ms, message, error';

export function toRunSummary(row: Pick<RunRow, 'id' | 'job_id' | 'scheduled_at' | 'status' | 'submitted_at' | 'started_at' | 'finished_at' | 'duration_ms' | 'message' | 'error'>): RunSummary {
  return {
    id: String(row.id),
    jobId: row.job_id,
    scheduledAt: new Date(row.scheduled_at),
    status: row.status as RunStatus,
    submittedAt: new Date(row.submitted_at),
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    durationMs: row.duration_ms,
    message: row.message,
    error: row.error,
  };
}

/** Groups runs (already newest first within each job) by job id. */
export function runsByJob(runs: readonly RunSummary[]): Map<string, RunSummary[]> {
  const byJob = new Map<string, RunSummary[]>();
  for (const run of runs) {
    const list = byJob.get(run.jobId);
    if (list) list.push(run);
    else byJob.set(run.jobId, [run]);
  }
  return byJob;
}

export function toStats(row: StatsRow): JobStats {
  return {
    totalRuns: row.total_runs,
    totalSuccess: row.total_success,
    totalError: row.total_error,
    totalMissed: row.total_missed,
    lastEvent: row.last_event,
    lastScheduledAt: date(row.last_scheduled_at),
    lastStartedAt: date(row.last_started_at),
    lastFinishedAt: date(row.last_finished_at),
    lastDurationMs: row.last_duration_ms,
    lastError: row.last_error,
    lastSuccessAt: date(row.last_success_at),
  };
}

export function toInstance(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    host: row.host,
    pid: row.pid,
    version: row.version,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
  };
}
