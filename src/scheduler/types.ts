import type { TriggerSpec } from './triggers/trigger.js';

/** Who owns a job definition: jobs.yaml (reload may change or remove it), the API, or a manual one-off copy. */
export type JobOwner = 'yaml' | 'api' | 'manual';

/**
 * What to do with several fire times that came due while nothing ran them (downtime):
 * `latest` runs only the most recent (APScheduler's coalesce), `all` runs each,
 * `{max: n}` runs the latest n. Fire times past `misfire_grace_time` are `missed` in every mode.
 */
export type CatchUpPolicy = 'latest' | 'all' | { readonly max: number };

/**
 * What a fire does when `max_instances` runs are still in flight:
 * `skip` records it as `skipped` (APScheduler), `queue` waits for a free slot,
 * `replace` aborts the oldest running run and starts the new one.
 */
export type OverlapPolicy = 'skip' | 'queue' | 'replace';

export interface RetryPolicy {
  /** Attempts after the first; 0 disables retries. @default 0 */
  readonly max: number;
  /** Delay before the first retry, doubled for each next one. @default 10 */
  readonly backoffSeconds: number;
  /** Upper bound of the delay. @default 600 */
  readonly maxBackoffSeconds: number;
}

export interface JobOptions {
  /** @default true */
  readonly coalesce: boolean;
  /** @default 1 */
  readonly maxInstances: number;
  /** Seconds; null means "always run however late". @default 60 */
  readonly misfireGraceTime: number | null;
  /** Seconds; a run past it is aborted and recorded as `timeout`. @default null */
  readonly timeout: number | null;
  readonly retries: RetryPolicy;
  /** Parent job ids: this job runs once each time all of them have succeeded. @default [] */
  readonly dependsOn: readonly string[];
  /** A disabled job is stored but never fires. @default true */
  readonly enabled: boolean;
  /** @default derived from coalesce: true -> 'latest', false -> 'all' */
  readonly catchUp: CatchUpPolicy;
  /** @default 'skip' */
  readonly overlap: OverlapPolicy;
  /** Seconds without a successful run after which a freshness alert is raised; null disables. @default null */
  readonly alertIfNoSuccessWithin: number | null;
}

/** A job as its owner defines it: everything but scheduling state. */
export interface JobDefinition {
  readonly id: string;
  /** The registered job type name, or `./path/module.js:export` for a user module. */
  readonly func: string;
  /** Null for a job that runs only through `depends_on`. */
  readonly trigger: TriggerSpec | null;
  readonly kwargs: Readonly<Record<string, unknown>>;
  readonly options: JobOptions;
  readonly owner: JobOwner;
}

/** A stored job: its definition plus scheduling state. */
export interface JobRecord extends JobDefinition {
  /** Hash of the definition; a reload compares these. */
  readonly version: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Null when paused, disabled, finished (a past date trigger) or dependency-only. */
  readonly nextRunTime: Date | null;
  readonly paused: boolean;
}

/** Why a run exists. */
export type RunKind = 'schedule' | 'manual' | 'retry' | 'dependency';

/** States a run is in before it ends. */
export type LiveRunStatus = 'pending' | 'running';

/** How a fire ended; every row of the ledger ends in exactly one of these. */
export type FinalRunStatus =
  | 'success'
  | 'error'
  | 'timeout'
  | 'missed'
  | 'coalesced'
  | 'skipped'
  | 'abandoned'
  | 'cancelled';

export type RunStatus = LiveRunStatus | FinalRunStatus;

export const FINAL_RUN_STATUSES: readonly FinalRunStatus[] = [
  'success',
  'error',
  'timeout',
  'missed',
  'coalesced',
  'skipped',
  'abandoned',
  'cancelled',
];

/** One row of the fire ledger: unique on (jobId, scheduledAt, attempt). */
export interface RunRecord {
  readonly id: string;
  readonly jobId: string;
  readonly scheduledAt: Date;
  readonly attempt: number;
  readonly kind: RunKind;
  readonly status: RunStatus;
  /** When a pending run becomes due. */
  readonly dueAt: Date | null;
  /** Per-run kwargs overlay (manual trigger overrides); null uses the job's. */
  readonly kwargs: Readonly<Record<string, unknown>> | null;
  readonly instanceId: string | null;
  readonly submittedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly durationMs: number | null;
  readonly message: string | null;
  readonly error: string | null;
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly logTail: readonly string[];
}

/** What a job's event history needs of a run (no payloads or log). */
export type RunSummary = Pick<RunRecord, 'id' | 'jobId' | 'scheduledAt' | 'status' | 'submittedAt' | 'startedAt' | 'finishedAt' | 'durationMs' | 'message' | 'error'>;

/** Aggregates kept per job id (they survive restarts and redefinitions of the job). */
export interface JobStats {
  readonly totalRuns: number;
  readonly totalSuccess: number;
  readonly totalError: number;
  readonly totalMissed: number;
  readonly lastEvent: string | null;
  readonly lastScheduledAt: Date | null;
  readonly lastStartedAt: Date | null;
  readonly lastFinishedAt: Date | null;
  readonly lastDurationMs: number | null;
  readonly lastError: string | null;
  readonly lastSuccessAt: Date | null;
}

export const EMPTY_STATS: JobStats = {
  totalRuns: 0,
  totalSuccess: 0,
  totalError: 0,
  totalMissed: 0,
  lastEvent: null,
  lastScheduledAt: null,
  lastStartedAt: null,
  lastFinishedAt: null,
  lastDurationMs: null,
  lastError: null,
  lastSuccessAt: null,
};

export const DEFAULT_RETRY: RetryPolicy = { max: 0, backoffSeconds: 10, maxBackoffSeconds: 600 };

export const DEFAULT_OPTIONS: JobOptions = {
  coalesce: true,
  maxInstances: 1,
  misfireGraceTime: 60,
  timeout: null,
  retries: DEFAULT_RETRY,
  dependsOn: [],
  enabled: true,
  catchUp: 'latest',
  overlap: 'skip',
  alertIfNoSuccessWithin: null,
};
