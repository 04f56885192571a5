import type { DeployStamp } from './deploy-stamp.js';
import type { JobPlan, PlannedFire } from './plan.js';
import type {
  FinalRunStatus,
  JobDefinition,
  JobRecord,
  JobStats,
  RunKind,
  RunRecord,
  RunStatus,
  RunSummary,
} from './types.js';

/**
 * The job store seam: job operations, not a query runner. Every method is one
 * transaction. What a store does NOT promise: ordering of events between
 * instances beyond each job's own order; wall-clock agreement between hosts
 * (fire times are compared with the caller's `now`).
 */
export interface JobStore {
  /** Optional capabilities; absent ones are emulated in-process by the engine. */
  readonly capabilities: StoreCapabilities;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /**
   * Present when `capabilities.notifications`: delivers every instance's
   * announcements (this one's included) until `close()`; reconnects by itself.
   */
  subscribe?(listener: (notification: StoreNotification) => void, onConnectionChange?: (connected: boolean) => void): Promise<void>;

  listJobs(): Promise<JobRecord[]>;
  /** Jobs with a freshness limit (`alertIfNoSuccessWithin`), without reading the others. */
  listWatchedJobs(): Promise<JobRecord[]>;
  /** How many jobs there are and the earliest next run time of an unpaused one, without reading them all. */
  jobSummary(): Promise<{ readonly count: number; readonly nextRunTime: number | null }>;
  getJob(id: string): Promise<JobRecord | null>;
  /** Throws `JobExistsError` when the id is taken. */
  insertJob(def: JobDefinition, nextRunTime: number | null, now: number): Promise<JobRecord>;
  /** Replaces a definition; `nextRunTime` undefined keeps the current schedule. Null when unknown. */
  updateJob(def: JobDefinition, nextRunTime: number | null | undefined, now: number): Promise<JobRecord | null>;
  setSchedule(id: string, change: ScheduleChange, now: number): Promise<JobRecord | null>;
  deleteJob(id: string): Promise<boolean>;
  /**
   * Makes the set of `owner` jobs equal to `defs` in one transaction: inserts new
   * ids, replaces those whose version differs (keeping paused state, and the
   * schedule when the trigger is unchanged), deletes the rest of that owner.
   * Throws `StaleDeployError` (changing nothing) when a newer deploy's file was applied before.
   */
  reconcile(owner: 'yaml', defs: readonly VersionedDefinition[], schedule: ScheduleFn, now: number, deploy: DeployStamp): Promise<ReconcileDiff>;

  /** Earliest instant anything is due (job fire or pending run), or null. */
  nextDueAt(): Promise<number | null>;
  /** The one critical transaction: lock due work, plan it, write the ledger, advance schedules. */
  claimDue(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Records how claimed runs ended, plus their follow-ups, in one transaction
   * (the engine batches the outcomes of runs that end together). Results are in input order.
   */
  finishRuns(items: readonly FinishItem[]): Promise<FinishResult[]>;
  /** Adds a pending run (manual trigger, queued work). */
  enqueueRun(request: EnqueueRequest): Promise<RunRecord>;

  registerInstance(instance: InstanceInfo): Promise<void>;
  /** Renews this instance's heartbeat and the leases of its running runs. */
  heartbeat(instanceId: string, now: number, leaseMs: number): Promise<void>;
  /** Marks running runs whose lease expired (or whose local process is gone) as abandoned. */
  abandonExpired(now: number, isLocalProcessAlive: (host: string, pid: number) => boolean): Promise<AbandonedRun[]>;
  listInstances(): Promise<InstanceRecord[]>;
  unregisterInstance(instanceId: string): Promise<void>;

  getSchedulerPaused(): Promise<boolean>;
  setSchedulerPaused(paused: boolean): Promise<void>;

  listRuns(filter: RunFilter): Promise<RunPage>;
  getRun(id: string): Promise<RunRecord | null>;
  /** Stats for the given job ids (all known when omitted); ids with no runs are absent. */
  jobStats(jobIds?: readonly string[]): Promise<Map<string, JobStats>>;
  /** The last `limit` runs of each job, newest first; jobs with no runs are absent. */
  recentRuns(jobIds: readonly string[], limit: number): Promise<Map<string, RunSummary[]>>;
  /** Deletes finished runs older than `before`; returns how many. */
  pruneRuns(before: number): Promise<number>;
}

export interface StoreCapabilities {
  /** Changes made by other processes are announced (LISTEN/NOTIFY): see `subscribe`. */
  readonly notifications: boolean;
}

/** What a store announces to every instance sharing it. */
export type StoreNotification =
  /** Job definitions, schedules or pending runs changed: wake up and refresh. */
  | { readonly type: 'changed' }
  /** The scheduler-wide paused flag changed. */
  | { readonly type: 'state' }
  /** Ledger rows changed (claimed, finished, abandoned) by `instanceId`. */
  | { readonly type: 'runs'; readonly instanceId: string; readonly runIds: readonly string[] };

export type ScheduleChange =
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume'; readonly nextRunTime: number | null }
  | { readonly kind: 'reschedule'; readonly nextRunTime: number | null };

export interface VersionedDefinition {
  readonly definition: JobDefinition;
  readonly version: string;
}

/** Next run time for a (new or re-triggered) definition; `existing` is the stored job if any. */
export type ScheduleFn = (def: JobDefinition, existing: JobRecord | null) => number | null;

export interface ReconcileDiff {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

export interface ClaimRequest {
  readonly now: number;
  /**
   * Work due up to this instant (>= now) is claimed: fires are claimed a little
   * ahead and started at their time, so a claim's own cost does not make them late.
   */
  readonly horizon: number;
  readonly instanceId: string;
  /** Most jobs and pending runs handled in one transaction. */
  readonly limit: number;
  readonly leaseMs: number;
  readonly planJob: (job: JobRecord, inFlight: number) => JobPlan;
  readonly planPending: (run: RunRecord, job: JobRecord, inFlight: number) => PlannedFire;
}

export interface ClaimedRun {
  readonly run: RunRecord;
  readonly job: JobRecord;
  /** Ids of this job's running runs that the new run replaces (overlap `replace`). */
  readonly replaces: readonly string[];
}

export interface ClaimResult {
  readonly claimed: ClaimedRun[];
  /** Ledger rows that ended at claim time (missed, coalesced, skipped) or were queued. */
  readonly recorded: RunRecord[];
  /** True when the limit was reached and more work may be due right now. */
  readonly more: boolean;
}

export interface RunOutcome {
  readonly status: Extract<FinalRunStatus, 'success' | 'error' | 'timeout' | 'cancelled'>;
  /** When the run actually started (a run claimed ahead of its time is recorded with its planned start until then). */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  readonly message: string | null;
  readonly error: string | null;
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly logTail: readonly string[];
}

export interface FinishFollowUp {
  /** Schedule another attempt of the same fire at this instant. */
  readonly retryAt: number | null;
  /** Delete the job after this run (a manual one-off copy). */
  readonly deleteJob: boolean;
}

export interface FinishItem {
  readonly runId: string;
  readonly outcome: RunOutcome;
  readonly followUp: FinishFollowUp;
}

export interface FinishResult {
  readonly run: RunRecord | null;
  /** Runs created by this finish: a retry, or dependants whose parents have all succeeded. */
  readonly enqueued: RunRecord[];
}

export interface EnqueueRequest {
  readonly jobId: string;
  readonly kind: RunKind;
  readonly scheduledAt: number;
  readonly dueAt: number;
  readonly attempt: number;
  readonly kwargs: Readonly<Record<string, unknown>> | null;
  readonly now: number;
}

export interface AbandonedRun {
  readonly run: RunRecord;
  /** The job as stored, to apply its retry policy; null if it was deleted. */
  readonly job: JobRecord | null;
}

export interface InstanceInfo {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: number;
}

export interface InstanceRecord extends InstanceInfo {
  readonly heartbeatAt: number;
}

export interface RunFilter {
  readonly jobId?: string;
  readonly statuses?: readonly RunStatus[];
  /** Inclusive lower bound on scheduled time (epoch ms). */
  readonly from?: number;
  /** Exclusive upper bound on scheduled time (epoch ms). */
  readonly to?: number;
  readonly limit: number;
  readonly offset: number;
}

export interface RunPage {
  readonly runs: RunRecord[];
  readonly total: number;
}

export class JobExistsError extends Error {
  constructor(readonly jobId: string) {
    super(`job '${jobId}' already exists`);
    this.name = 'JobExistsError';
  }
}
