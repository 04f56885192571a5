import type { Trigger } from './triggers/trigger.js';
import type { CatchUpPolicy, JobOptions, OverlapPolicy, RunKind } from './types.js';

/**
 * The pure heart of dispatching: given a due job and what is in flight, decide
 * the fate of every fire time that came due. Stores run this inside the one
 * transaction that claims the job, so every instance applies the same rules.
 */

/** Fates a planner can assign; `running` means "claimed: execute now". */
export type PlannedStatus = 'running' | 'pending' | 'missed' | 'coalesced' | 'skipped';

export interface PlannedFire {
  readonly scheduledAt: number;
  readonly status: PlannedStatus;
  readonly message: string | null;
  /** The oldest in-flight run of this job must be aborted (overlap `replace`). */
  readonly replacesOldest: boolean;
}

export interface JobPlan {
  readonly fires: readonly PlannedFire[];
  /** Epoch ms, or null when the trigger has no more fire times. */
  readonly nextRunTime: number | null;
}

/** Ledger rows written per claim for fires nobody runs; the rest are counted in the last row's message. */
export const LEDGER_ROWS_CAP = 1000;
/** Guards against an absurd backlog (e.g. a per-second trigger after years of downtime). */
const MAX_DUE_TIMES = 200_000;

export interface DueJob {
  readonly nextRunTime: number;
  readonly options: Pick<JobOptions, 'catchUp' | 'misfireGraceTime' | 'maxInstances' | 'overlap'>;
}

/**
 * APScheduler's `_get_run_times` followed by its coalesce/misfire/max_instances
 * handling, extended with catch-up and overlap policies and a ledger row for
 * every fire time.
 */
export function planDueJob(
  job: DueJob,
  trigger: Trigger,
  now: number,
  inFlight: number,
  random: () => number = Math.random,
): JobPlan {
  const due: number[] = [];
  let next: number | null = job.nextRunTime;
  while (next !== null && next <= now && due.length < MAX_DUE_TIMES) {
    due.push(next);
    next = trigger.nextFireTime(new Date(next), new Date(now))?.getTime() ?? null;
  }
  if (next !== null && next <= now) next = trigger.nextFireTime(new Date(now), new Date(now))?.getTime() ?? null;
  const chosenFrom = due.length - chosenCount(job.options.catchUp, due.length);
  const fires: PlannedFire[] = [];
  const skippedQuietly = Math.max(0, chosenFrom - LEDGER_ROWS_CAP);
  for (let i = skippedQuietly; i < chosenFrom; i++) {
    const more = i === chosenFrom - 1 && skippedQuietly > 0 ? ` (and ${skippedQuietly} earlier fire times)` : '';
    fires.push(fate(due[i]!, 'coalesced', `coalesced into a later fire${more}`));
  }
  let slots = job.options.maxInstances - inFlight;
  let claimed = 0;
  for (let i = chosenFrom; i < due.length; i++) {
    const t = due[i]!;
    const late = now - t;
    const grace = job.options.misfireGraceTime;
    if (grace !== null && late > grace * 1000) {
      fires.push(fate(t, 'missed', `missed by ${formatSeconds(late)} (misfire_grace_time ${grace}s)`));
      continue;
    }
    // Several catch-up fires of one claim run one after another, as APScheduler runs a job's run_times in one submission.
    const decision = slots <= 0 && claimed > 0 ? fate(t, 'pending', 'queued behind an earlier catch-up fire') : admit(slots, job.options, t);
    if (decision.status === 'running') {
      slots--;
      claimed++;
    }
    fires.push(decision);
  }
  return { fires, nextRunTime: next === null ? null : withJitter(next, trigger.jitterSeconds, random) };
}

export interface PendingRun {
  readonly kind: RunKind;
  readonly scheduledAt: number;
}

/** Fate of a pending run (retry, manual, dependency or queued fire) that is due now. */
export function planPendingRun(
  run: PendingRun,
  options: DueJob['options'],
  now: number,
  inFlight: number,
): PlannedFire {
  const grace = options.misfireGraceTime;
  if (run.kind === 'schedule' && grace !== null && now - run.scheduledAt > grace * 1000) {
    return fate(run.scheduledAt, 'missed', `waited in the queue past misfire_grace_time (${grace}s)`);
  }
  const slots = options.maxInstances - inFlight;
  if (slots > 0) return fate(run.scheduledAt, 'running', null);
  // Someone asked for this run (a queued fire, a manual trigger, a retry, a dependency): it is
  // never dropped. It waits for a slot, unless the job's overlap policy is to replace.
  if (options.overlap === 'replace' && run.kind !== 'schedule') return admit(slots, options, run.scheduledAt);
  return fate(run.scheduledAt, 'pending', null);
}

function admit(slots: number, options: { maxInstances: number; overlap: OverlapPolicy }, t: number): PlannedFire {
  if (slots > 0) return fate(t, 'running', null);
  const reason = `max_instances (${options.maxInstances}) reached`;
  switch (options.overlap) {
    case 'skip':
      return fate(t, 'skipped', `skipped: ${reason}`);
    case 'queue':
      return fate(t, 'pending', `queued: ${reason}`);
    case 'replace':
      return { scheduledAt: t, status: 'running', message: `replaced the oldest running run: ${reason}`, replacesOldest: true };
  }
}

function chosenCount(policy: CatchUpPolicy, available: number): number {
  if (policy === 'latest') return Math.min(1, available);
  if (policy === 'all') return available;
  return Math.min(policy.max, available);
}

function fate(scheduledAt: number, status: PlannedStatus, message: string | null): PlannedFire {
  return { scheduledAt, status, message, replacesOldest: false };
}

function withJitter(t: number, jitterSeconds: number | null, random: () => number): number {
  if (!jitterSeconds) return t;
  return t + Math.floor(random() * jitterSeconds * 1000);
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** Delay before retry `attempt` (2 = first retry): exponential, capped. */
export function retryDelayMs(attempt: number, backoffSeconds: number, maxBackoffSeconds: number): number {
  const exponent = Math.max(0, attempt - 2);
  return Math.min(backoffSeconds * 2 ** exponent, maxBackoffSeconds) * 1000;
}
