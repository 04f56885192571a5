import type { PlannedFire } from './plan.js';
import type { ClaimRequest } from './store.js';
import type { JobRecord, RunKind, RunRecord, RunStatus } from './types.js';

/**
 * The store-independent half of `claimDue`: given the due jobs and pending
 * runs a store has locked, and the in-flight counts, decide every write. Each
 * store reads and writes in its own dialect; the decisions are made here once,
 * so SQLite and PostgreSQL cannot disagree.
 */

export interface ClaimInput {
  readonly request: ClaimRequest;
  readonly dueJobs: readonly JobRecord[];
  /** Due pending runs whose job row the store holds, with that job. */
  readonly pending: readonly { readonly run: RunRecord; readonly job: JobRecord | null }[];
  readonly running: ReadonlyMap<string, number>;
}

/** A ledger row to insert (the unique key drops it if another claimer got there first). */
export interface NewRun {
  readonly jobId: string;
  readonly scheduledAt: number;
  readonly attempt: number;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly dueAt: number | null;
  readonly instanceId: string | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly leaseUntil: number | null;
  readonly message: string | null;
  readonly replacesOldest: boolean;
}

/** A pending run that changes state. */
export interface PendingChange {
  readonly runId: string;
  readonly jobId: string;
  readonly status: RunStatus;
  readonly instanceId: string | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly leaseUntil: number | null;
  readonly message: string | null;
  readonly replacesOldest: boolean;
}

export interface ClaimWrites {
  readonly newRuns: NewRun[];
  readonly pendingChanges: PendingChange[];
  readonly nextRunTimes: { readonly jobId: string; readonly nextRunTime: number | null }[];
}

export function planClaim({ request, dueJobs, pending, running }: ClaimInput): ClaimWrites {
  const { now, instanceId, leaseMs } = request;
  const inFlight = new Map(running);
  const count = (jobId: string): number => inFlight.get(jobId) ?? 0;
  const started = (jobId: string, fire: PlannedFire): void => {
    if (fire.status === 'running') inFlight.set(jobId, count(jobId) + 1);
  };
  const writes: ClaimWrites = { newRuns: [], pendingChanges: [], nextRunTimes: [] };

  for (const job of dueJobs) {
    const plan = request.planJob(job, count(job.id));
    for (const fire of plan.fires) {
      started(job.id, fire);
      writes.newRuns.push({
        jobId: job.id,
        scheduledAt: fire.scheduledAt,
        attempt: 1,
        kind: 'schedule',
        status: fire.status,
        dueAt: fire.status === 'pending' ? now : null,
        ...lifecycle(fire, instanceId, now, Math.max(now, fire.scheduledAt), leaseMs),
        message: fire.message,
        replacesOldest: fire.replacesOldest,
      });
    }
    writes.nextRunTimes.push({ jobId: job.id, nextRunTime: plan.nextRunTime });
  }

  for (const { run, job } of pending) {
    if (!job) {
      writes.pendingChanges.push({ runId: run.id, jobId: run.jobId, status: 'cancelled', instanceId: null, startedAt: null, finishedAt: now, leaseUntil: null, message: 'job was deleted', replacesOldest: false });
      continue;
    }
    if (job.paused) continue;
    const fire = request.planPending(run, job, count(job.id));
    if (fire.status === 'pending') continue;
    started(job.id, fire);
    const startAt = Math.max(now, run.dueAt?.getTime() ?? now);
    writes.pendingChanges.push({ runId: run.id, jobId: job.id, status: fire.status, ...lifecycle(fire, instanceId, now, startAt, leaseMs), message: fire.message, replacesOldest: fire.replacesOldest });
  }
  return writes;
}

/** `startAt`: when a claimed run starts; later than `now` for work claimed ahead of its time. */
function lifecycle(fire: PlannedFire, instanceId: string, now: number, startAt: number, leaseMs: number) {
  const running = fire.status === 'running';
  const final = !running && fire.status !== 'pending';
  return {
    instanceId: running ? instanceId : null,
    startedAt: running ? startAt : null,
    finishedAt: final ? now : null,
    leaseUntil: running ? startAt + leaseMs : null,
  };
}
