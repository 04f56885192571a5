import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { BaseLogger as Logger } from 'pino';
import { definitionVersion } from './definition-version.js';
import { deployStamp } from './deploy-stamp.js';
import { SchedulerError, invalidKwargs, jobNotFound, toError } from './errors.js';
import { SchedulerEvents, eventOfRun, historyOfRuns, type JobEvent } from './events.js';
import type { JobType } from './job-type.js';
import { planDueJob, planPendingRun, retryDelayMs } from './plan.js';
import { Batcher } from './batcher.js';
import type { ClaimedRun, FinishItem, FinishResult, InstanceRecord, JobStore, ReconcileDiff, RunFilter, RunPage, StoreNotification } from './store.js';
import { parseTrigger } from './triggers/index.js';
import type { Trigger } from './triggers/trigger.js';
import { EMPTY_STATS, type JobDefinition, type JobRecord, type JobStats, type RunRecord } from './types.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Creates the loggers of one run: `logger` for the job (and the engine's report of a failure),
 * `lifecycle` for the engine's routine lines; `tail()` returns the last lines of both for the run record.
 */
export type RunLoggerFactory = (bindings: { jobId: string; runId: string }) => { logger: Logger; lifecycle: Logger; tail(): string[] };

export interface SchedulerOptions {
  readonly store: JobStore;
  /** Finds the job type a definition's `func` names. */
  readonly resolveJobType: (func: string) => JobType | undefined;
  readonly logger: Logger;
  readonly runLogger: RunLoggerFactory;
  readonly clock?: Clock;
  /** Display time zone reported by `status()`. @default 'UTC' */
  readonly timezone?: string;
  readonly instanceId?: string;
  readonly version?: string;
  /** How long a claimed run stays ours without a heartbeat. @default 30000 */
  readonly leaseMs?: number;
  /** @default 5000 */
  readonly heartbeatMs?: number;
  /** Longest the dispatcher sleeps before re-checking the clock. @default 10000 */
  readonly maxWaitMs?: number;
  /** Most jobs claimed in one transaction. @default 500 */
  readonly claimBatch?: number;
  /**
   * Fires due within this many ms are claimed ahead and started at their time, so the
   * claim's own cost does not make them late. 0 claims only what is due. @default 0
   */
  readonly claimAheadMs?: number;
  /** Finished runs older than this are pruned. @default 30 days */
  readonly runRetentionMs?: number;
}

export interface SchedulerStatus {
  readonly state: 'running' | 'paused' | 'stopped';
  readonly running: boolean;
  readonly jobCount: number;
  readonly nextRunTime: Date | null;
  readonly startedAt: Date | null;
  readonly timezone: string;
  readonly instanceId: string;
}

export interface JobTelemetry {
  readonly stats: JobStats;
  /** The last events, oldest first (the original's `stats.history`). */
  readonly history: JobEvent[];
}

export interface JobView extends JobTelemetry {
  readonly job: JobRecord;
  readonly trigger: Trigger | null;
}

export interface TriggerResult {
  readonly jobId: string;
  readonly scheduledJobId: string;
  readonly scheduledFor: Date;
  readonly overrides: { readonly kwargs: Record<string, unknown> } | null;
}

interface InFlight {
  readonly run: RunRecord;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  abortReason: 'timeout' | 'replaced' | 'shutdown' | null;
}

const HISTORY_LIMIT = 50;
const TRIGGER_CACHE_SIZE = 10_000;

/**
 * The engine: a dispatcher that sleeps until the next due time, claims due
 * work through the store's one transaction, runs it with a per-run logger and
 * AbortSignal, and records the outcome. It knows nothing of ETL, HTTP or Discord.
 */
export class Scheduler {
  readonly events: SchedulerEvents;
  readonly instanceId: string;
  private readonly store: JobStore;
  private readonly clock: Clock;
  private readonly options: Required<Pick<SchedulerOptions, 'leaseMs' | 'heartbeatMs' | 'maxWaitMs' | 'claimBatch' | 'claimAheadMs' | 'runRetentionMs' | 'timezone' | 'version'>>;
  private readonly triggers = new Map<string, { version: string; trigger: Trigger | null }>();
  private readonly inFlight = new Map<string, InFlight>();
  private state: 'stopped' | 'starting' | 'running' | 'stopping' = 'stopped';
  private paused = false;
  private readonly startGates = new Map<number, Promise<unknown>>();
  private startedAt: Date | null = null;
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  /**
   * Outcomes of runs that end in the same tick are recorded in one transaction.
   * The store may be briefly unreachable (a database restart): a batch is retried
   * for up to a lease, after which other instances will have settled its runs as abandoned.
   */
  private readonly finishes = new Batcher<FinishItem, FinishResult>((items) =>
    retrying(() => this.store.finishRuns(items), this.options.leaseMs, (error) =>
      this.deps.logger.warn({ err: toError(error), runs: items.length }, 'recording run outcomes failed; retrying'),
    ),
  );

  constructor(private readonly deps: SchedulerOptions) {
    this.store = deps.store;
    this.clock = deps.clock ?? systemClock;
    this.events = new SchedulerEvents(deps.logger);
    this.instanceId = deps.instanceId ?? randomUUID();
    this.options = {
      leaseMs: deps.leaseMs ?? 30_000,
      heartbeatMs: deps.heartbeatMs ?? 5_000,
      maxWaitMs: deps.maxWaitMs ?? 10_000,
      claimBatch: deps.claimBatch ?? 500,
      claimAheadMs: deps.claimAheadMs ?? 0,
      runRetentionMs: deps.runRetentionMs ?? 30 * 86_400_000,
      timezone: deps.timezone ?? 'UTC',
      version: deps.version ?? '0.0.0',
    };
  }

  /** Registers this instance, settles runs abandoned by dead processes, and starts dispatching. Idempotent. */
  async start(): Promise<void> {
    if (this.state !== 'stopped') return;
    this.state = 'starting';
    const now = this.clock.now();
    await this.store.registerInstance({ id: this.instanceId, host: hostname(), pid: process.pid, version: this.options.version, startedAt: now });
    this.paused = await this.store.getSchedulerPaused();
    await this.store.subscribe?.(
      (notification) => void this.onNotification(notification),
      (connected) => this.deps.logger[connected ? 'info' : 'warn']({ instanceId: this.instanceId }, connected ? 'store notifications connected' : 'store notifications lost; reconnecting'),
    );
    await this.settleAbandoned();
    this.startedAt = new Date(now);
    this.state = 'running';
    this.loopDone = this.loop();
    this.heartbeatTimer = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
    this.events.emit('scheduler:state', { state: this.paused ? 'paused' : 'running' });
  }

  /**
   * Stops taking fires, lets running runs finish for `graceMs`, then aborts
   * them (recorded `cancelled`). Idempotent.
   */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.wake();
    await this.loopDone;
    const finished = Promise.all([...this.inFlight.values()].map((f) => f.done));
    const timer = delay(graceMs);
    if ((await Promise.race([finished.then(() => 'done' as const), timer.promise])) !== 'done') {
      for (const flight of this.inFlight.values()) this.abort(flight, 'shutdown');
      await finished;
    }
    timer.cancel();
    await this.store.unregisterInstance(this.instanceId);
    this.state = 'stopped';
    this.events.emit('scheduler:state', { state: 'stopped' });
  }

  /** Wakes the dispatcher now (a job changed, or another instance announced work). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Resolves when no run of this instance is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }

  /**
   * One dispatch cycle at `now`: claims due fires and pending runs and starts
   * them. Returns the runs started; they finish in the background.
   */
  async runDue(now = this.clock.now()): Promise<{ started: number; more: boolean }> {
    const horizon = now + this.options.claimAheadMs;
    const result = await this.store.claimDue({
      now,
      horizon,
      instanceId: this.instanceId,
      limit: this.options.claimBatch,
      leaseMs: this.options.leaseMs,
      planJob: (job, inFlight) => {
        const trigger = this.triggerOf(job);
        if (!trigger) return { fires: [], nextRunTime: null };
        return planDueJob({ nextRunTime: job.nextRunTime!.getTime(), options: job.options }, trigger, horizon, inFlight);
      },
      planPending: (run, job, inFlight) =>
        planPendingRun({ kind: run.kind, scheduledAt: run.scheduledAt.getTime() }, job.options, now, inFlight),
    });
    for (const run of result.recorded) this.emitRun(run);
    // A run claimed ahead of its time waits out what is left of it once the claim is done.
    const claimedAt = Math.max(now, this.clock.now());
    for (const claim of result.claimed) {
      const startAt = claim.run.startedAt?.getTime() ?? claimedAt;
      this.execute(claim, startAt > claimedAt ? this.startGate(startAt, startAt - claimedAt) : null);
    }
    return { started: result.claimed.length, more: result.more };
  }

  async status(): Promise<SchedulerStatus> {
    const { count, nextRunTime } = await this.store.jobSummary();
    const running = this.state === 'running';
    return {
      state: running ? (this.paused ? 'paused' : 'running') : 'stopped',
      running,
      jobCount: count,
      nextRunTime: running && !this.paused && nextRunTime !== null ? new Date(nextRunTime) : null,
      startedAt: this.startedAt,
      timezone: this.options.timezone,
      instanceId: this.instanceId,
    };
  }

  async listJobs(): Promise<JobView[]> {
    const jobs = await this.store.listJobs();
    const telemetry = await this.telemetryOf(jobs.map((j) => j.id));
    return jobs.map((job) => this.viewOf(job, telemetry.get(job.id)!));
  }

  /** Stats and event history of each of `jobIds` (empty ones for ids with no runs), in two reads. */
  async telemetryOf(jobIds: readonly string[]): Promise<Map<string, JobTelemetry>> {
    const [stats, runs] = await Promise.all([this.store.jobStats(jobIds), this.store.recentRuns(jobIds, HISTORY_LIMIT)]);
    return new Map(jobIds.map((id) => [id, { stats: stats.get(id) ?? EMPTY_STATS, history: historyOfRuns(runs.get(id) ?? [], HISTORY_LIMIT) }]));
  }

  /** Jobs with a freshness limit, as stored (no stats or history): cheap enough for periodic checks. */
  async listWatchedJobs(): Promise<JobRecord[]> {
    return this.store.listWatchedJobs();
  }

  async jobStats(ids: readonly string[]): Promise<Map<string, JobStats>> {
    return this.store.jobStats(ids);
  }

  async getJob(id: string): Promise<JobView | null> {
    const job = await this.store.getJob(id);
    if (!job) return null;
    return this.viewOf(job, (await this.telemetryOf([id])).get(id)!);
  }

  async requireJob(id: string): Promise<JobView> {
    const view = await this.getJob(id);
    if (!view) throw jobNotFound(id);
    return view;
  }

  /** Adds a job (APScheduler's add_job). The definition must have been validated with `validateDefinition`. */
  async addJob(def: JobDefinition): Promise<JobView> {
    this.validateDefinition(def);
    const now = this.clock.now();
    const job = await this.store.insertJob(def, this.firstRunTime(def, now), now);
    this.changed('added', [def.id]);
    return this.viewOf(job, { stats: EMPTY_STATS, history: [] });
  }

  /** Replaces a job's definition (modify/reschedule); the schedule is recomputed only when the trigger or enablement changed. */
  async updateJob(def: JobDefinition): Promise<JobView> {
    this.validateDefinition(def);
    const existing = await this.store.getJob(def.id);
    if (!existing) throw jobNotFound(def.id);
    const now = this.clock.now();
    const job = await this.store.updateJob(def, this.rescheduledRunTime(def, existing, now), now);
    if (!job) throw jobNotFound(def.id);
    this.changed('changed', [def.id]);
    return this.requireJob(def.id);
  }

  async removeJob(id: string): Promise<void> {
    if (!(await this.store.deleteJob(id))) throw jobNotFound(id);
    this.triggers.delete(id);
    this.changed('removed', [id]);
  }

  /** Pauses a job: it reports `next_run_time: null` until resumed (APScheduler). */
  async pauseJob(id: string): Promise<JobView> {
    const job = await this.store.setSchedule(id, { kind: 'pause' }, this.clock.now());
    if (!job) throw jobNotFound(id);
    this.changed('paused', [id]);
    return this.requireJob(id);
  }

  /** Resumes a job; its next fire time is computed from now. */
  async resumeJob(id: string): Promise<JobView> {
    const existing = await this.store.getJob(id);
    if (!existing) throw jobNotFound(id);
    const now = this.clock.now();
    const next = this.resumeRunTime(existing, now);
    await this.store.setSchedule(id, { kind: 'resume', nextRunTime: next }, now);
    this.changed('resumed', [id]);
    return this.requireJob(id);
  }

  /**
   * Runs a job now. Without overrides a pending run of the job itself is queued
   * (its schedule is untouched, so a date job survives); with overrides a
   * one-off copy `<id>__manual__<epoch ms>` runs with the kwargs overlaid.
   */
  async triggerJob(id: string, overrides: { kwargs: Record<string, unknown> } | null): Promise<TriggerResult> {
    const job = await this.store.getJob(id);
    if (!job) throw jobNotFound(id);
    const now = this.clock.now();
    if (!overrides) {
      await this.store.enqueueRun({ jobId: id, kind: 'manual', scheduledAt: now, dueAt: now, attempt: 1, kwargs: null, now });
      this.wake();
      return { jobId: id, scheduledJobId: id, scheduledFor: new Date(now), overrides: null };
    }
    const kwargs = { ...job.kwargs, ...overrides.kwargs };
    const copy: JobDefinition = {
      id: `${id}__manual__${now}`,
      func: job.func,
      trigger: { trigger: 'date', run_date: new Date(now).toISOString() },
      kwargs,
      options: { ...job.options, dependsOn: [], misfireGraceTime: null, retries: job.options.retries },
      owner: 'manual',
    };
    this.validateDefinition(copy);
    await this.store.insertJob(copy, now, now);
    this.changed('added', [copy.id]);
    return { jobId: id, scheduledJobId: copy.id, scheduledFor: new Date(now), overrides: { kwargs: overrides.kwargs } };
  }

  async pauseAll(): Promise<void> {
    await this.store.setSchedulerPaused(true);
    this.paused = true;
    this.events.emit('scheduler:state', { state: 'paused' });
  }

  async resumeAll(): Promise<void> {
    await this.store.setSchedulerPaused(false);
    this.paused = false;
    this.wake();
    this.events.emit('scheduler:state', { state: 'running' });
  }

  /**
   * Makes the yaml-owned jobs equal to `defs` (API-created and manual jobs are untouched).
   * `fileTime` is when the jobs file was written: with the Kairos version it orders deploys,
   * and a file older than the one already applied is refused with `StaleDeployError`.
   */
  async reconcile(defs: readonly JobDefinition[], fileTime: number = this.clock.now()): Promise<ReconcileDiff> {
    for (const def of defs) this.validateDefinition(def);
    const now = this.clock.now();
    const deploy = deployStamp(this.options.version, fileTime, defs);
    const versioned = defs.map((definition) => ({ definition, version: definitionVersion(definition) }));
    const diff = await this.store.reconcile(
      'yaml',
      versioned,
      (def, existing) => (existing ? this.rescheduledRunTime(def, existing, now) ?? existing.nextRunTime?.getTime() ?? null : this.firstRunTime(def, now)),
      now,
      deploy,
    );
    for (const id of [...diff.changed, ...diff.removed]) this.triggers.delete(id);
    if (diff.added.length) this.changed('added', diff.added);
    if (diff.changed.length) this.changed('changed', diff.changed);
    if (diff.removed.length) this.changed('removed', diff.removed);
    return diff;
  }

  /**
   * Checks a definition against its job type and trigger; throws a
   * SchedulerError naming every problem. Nothing is stored.
   */
  validateDefinition(def: JobDefinition): void {
    const type = this.deps.resolveJobType(def.func);
    if (!type) throw new SchedulerError('unknown_job_type', `job '${def.id}': unknown job type '${def.func}'`, [{ field: 'func', message: `unknown job type '${def.func}'` }]);
    const parsed = type.kwargsSchema.parse(def.kwargs);
    if (!parsed.ok) throw invalidKwargs(def.id, parsed.issues);
    if (def.trigger) {
      try {
        parseTrigger(def.trigger, { createdAt: new Date(this.clock.now()) });
      } catch (error) {
        throw new SchedulerError('invalid_trigger', `job '${def.id}': ${toError(error).message}`, [{ field: 'trigger', message: toError(error).message }]);
      }
    }
  }

  async listRuns(filter: RunFilter): Promise<RunPage> {
    return this.store.listRuns(filter);
  }

  async getRun(id: string): Promise<RunRecord | null> {
    return this.store.getRun(id);
  }

  /** How long a run stays owned by an instance without heartbeats. */
  get leaseMs(): number {
    return this.options.leaseMs;
  }

  async listInstances(): Promise<InstanceRecord[]> {
    return this.store.listInstances();
  }

  async ready(): Promise<boolean> {
    if (this.state !== 'running') return false;
    await this.store.ping();
    return true;
  }

  /**
   * The trigger instance of a stored job, cached per definition version for the
   * most recently used TRIGGER_CACHE_SIZE jobs (thousands of one-off jobs must not pile up).
   */
  triggerOf(job: JobRecord): Trigger | null {
    const cached = this.triggers.get(job.id);
    this.triggers.delete(job.id);
    if (cached && cached.version === job.version) {
      this.triggers.set(job.id, cached);
      return cached.trigger;
    }
    const trigger = job.trigger ? parseTrigger(job.trigger, { createdAt: job.createdAt }) : null;
    this.triggers.set(job.id, { version: job.version, trigger });
    if (this.triggers.size > TRIGGER_CACHE_SIZE) this.triggers.delete(this.triggers.keys().next().value!);
    return trigger;
  }

  /** Another instance (or this one) changed shared state: wake up, refresh, and relay its run events. */
  private async onNotification(notification: StoreNotification): Promise<void> {
    try {
      switch (notification.type) {
        case 'changed':
          this.events.emit('jobs:changed', { kind: 'changed', jobIds: [] });
          this.wake();
          return;
        case 'state':
          this.paused = await this.store.getSchedulerPaused();
          this.events.emit('scheduler:state', { state: this.paused ? 'paused' : 'running' });
          this.wake();
          return;
        case 'runs':
          if (notification.instanceId !== this.instanceId) {
            for (const id of notification.runIds) {
              const run = await this.store.getRun(id);
              if (run) this.emitRun(run);
            }
          }
          this.wake();
          return;
      }
    } catch (error) {
      this.deps.logger.warn({ err: toError(error) }, 'handling a store notification failed');
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.state === 'running' || this.state === 'starting') {
      try {
        if (!this.paused) {
          const { more } = await this.runDue();
          if (more) continue;
        }
        const next = this.paused ? null : await this.store.nextDueAt();
        failures = 0;
        const wait = next === null ? this.options.maxWaitMs : Math.min(Math.max(next - this.options.claimAheadMs - this.clock.now(), 0), this.options.maxWaitMs);
        if (wait > 0) await this.sleep(wait);
      } catch (error) {
        failures++;
        const backoff = Math.min(250 * 2 ** failures, 10_000);
        this.deps.logger.error({ err: toError(error), retryInMs: backoff }, 'dispatcher cycle failed; retrying');
        this.events.emit('scheduler:error', { error: toError(error), during: 'dispatch' });
        await this.sleep(backoff);
      }
    }
  }

  /**
   * Runs due at the same moment, from one claim or several, share one timer, so they all start
   * in the same turn of the event loop instead of interleaving with the first ones' outcomes.
   */
  private startGate(startAt: number, inMs: number): Promise<unknown> {
    let gate = this.startGates.get(startAt);
    if (!gate) {
      gate = delay(inMs).promise.finally(() => this.startGates.delete(startAt));
      this.startGates.set(startAt, gate);
    }
    return gate;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }

  private async beat(): Promise<void> {
    try {
      const now = this.clock.now();
      await this.store.heartbeat(this.instanceId, now, this.options.leaseMs);
      await this.settleAbandoned();
      if (now - this.lastPrune > 3_600_000) {
        this.lastPrune = now;
        await this.store.pruneRuns(now - this.options.runRetentionMs);
      }
    } catch (error) {
      this.deps.logger.error({ err: toError(error) }, 'heartbeat failed');
      this.events.emit('scheduler:error', { error: toError(error), during: 'heartbeat' });
    }
  }

  /** Marks runs of dead processes abandoned and applies each job's retry policy. */
  private async settleAbandoned(): Promise<void> {
    const host = hostname();
    const abandoned = await this.store.abandonExpired(this.clock.now(), (runHost, pid) => runHost !== host || isProcessAlive(pid));
    for (const { run, job } of abandoned) {
      this.deps.logger.warn({ jobId: run.jobId, runId: run.id }, 'run abandoned by a dead instance');
      this.emitRun(run);
      if (job && run.attempt <= job.options.retries.max) {
        const now = this.clock.now();
        const dueAt = now + retryDelayMs(run.attempt + 1, job.options.retries.backoffSeconds, job.options.retries.maxBackoffSeconds);
        await this.store.enqueueRun({ jobId: run.jobId, kind: 'retry', scheduledAt: run.scheduledAt.getTime(), dueAt, attempt: run.attempt + 1, kwargs: run.kwargs, now });
      }
    }
  }

  /** Starts a claimed run, once `startGate` (its start time) resolves if it has one. */
  private execute(claim: ClaimedRun, startGate: Promise<unknown> | null): void {
    const { run, job } = claim;
    for (const id of claim.replaces) {
      const old = this.inFlight.get(id);
      if (old) this.abort(old, 'replaced');
    }
    const controller = new AbortController();
    let settle!: () => void;
    const flight: InFlight = { run, controller, done: new Promise<void>((r) => (settle = r)), abortReason: null };
    this.inFlight.set(run.id, flight);
    this.emitRun(run);
    void this.runToEnd(flight, job, startGate)
      .catch((error) => {
        this.deps.logger.error({ err: toError(error), jobId: run.jobId, runId: run.id }, 'recording a run outcome failed');
        this.events.emit('scheduler:error', { error: toError(error), during: 'finish' });
      })
      .finally(() => {
        this.inFlight.delete(run.id);
        settle();
      });
  }

  private async runToEnd(flight: InFlight, job: JobRecord, startGate: Promise<unknown> | null): Promise<void> {
    const { run, controller } = flight;
    // Claimed ahead of its time: start on time (an abort meanwhile cancels it before the job is called).
    if (startGate) await startGate;
    const startedAt = this.clock.now();
    // Made on first use: runs due together start one after another, and most jobs never log.
    let logging: ReturnType<RunLoggerFactory> | undefined;
    const logs = (): ReturnType<RunLoggerFactory> => (logging ??= this.deps.runLogger({ jobId: run.jobId, runId: run.id }));
    const timeout = job.options.timeout;
    const timer = timeout === null ? null : setTimeout(() => this.abort(flight, 'timeout'), timeout * 1000);
    let status: 'success' | 'error' | 'timeout' | 'cancelled' = 'success';
    let message: string | null = null;
    let errorText: string | null = null;
    let result: Record<string, unknown> | null = null;
    try {
      controller.signal.throwIfAborted();
      const type = this.deps.resolveJobType(job.func);
      if (!type) throw new SchedulerError('unknown_job_type', `unknown job type '${job.func}'`);
      const parsed = type.kwargsSchema.parse(run.kwargs ?? job.kwargs);
      if (!parsed.ok) throw invalidKwargs(run.jobId, parsed.issues);
      const outcome = await raceAbort(
        type.run(
          {
            jobId: run.jobId,
            runId: run.id,
            scheduledAt: run.scheduledAt,
            idempotencyKey: `${run.jobId}@${run.scheduledAt.toISOString()}`,
            attempt: run.attempt,
            get logger() {
              return logs().logger;
            },
            signal: controller.signal,
          },
          parsed.value,
        ),
        controller.signal,
      );
      message = outcome?.message ?? null;
      result = outcome?.data ?? null;
      logs().lifecycle.info({ durationMs: this.clock.now() - startedAt }, 'run succeeded');
    } catch (thrown) {
      const error = toError(thrown);
      status = flight.abortReason === 'timeout' ? 'timeout' : flight.abortReason ? 'cancelled' : 'error';
      errorText = status === 'timeout' ? `timed out after ${timeout}s` : status === 'cancelled' ? `cancelled (${flight.abortReason})` : `${error.name}: ${error.message}`;
      logs().logger.error({ err: error }, `run ${status}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
    const finishedAt = this.clock.now();
    const retryable = status === 'error' || status === 'timeout';
    const retryAt =
      retryable && run.attempt <= job.options.retries.max
        ? finishedAt + retryDelayMs(run.attempt + 1, job.options.retries.backoffSeconds, job.options.retries.maxBackoffSeconds)
        : null;
    const outcome = { status, startedAt, finishedAt, durationMs: finishedAt - startedAt, message, error: errorText, result, logTail: logging?.tail() ?? [] };
    // The store may be briefly unreachable (a database restart): keep the outcome and retry
    // for up to a lease, after which other instances will have settled the run as abandoned.
    const finish = await this.finishes.add({ runId: run.id, outcome, followUp: { retryAt, deleteJob: job.owner === 'manual' } });
    if (finish.run) this.emitRun(finish.run);
    if (job.owner === 'manual') this.changed('removed', [job.id]);
    if (finish.enqueued.length) this.wake();
  }

  private abort(flight: InFlight, reason: 'timeout' | 'replaced' | 'shutdown'): void {
    if (flight.abortReason) return;
    flight.abortReason = reason;
    flight.controller.abort(new Error(`run ${reason}`));
  }

  private emitRun(run: RunRecord): void {
    const event = eventOfRun(run);
    this.events.emit('job:event', {
      jobId: run.jobId,
      runId: run.id,
      event,
      recordedAt: event === 'submitted' ? run.startedAt ?? run.submittedAt : run.finishedAt ?? run.submittedAt,
      scheduledAt: run.scheduledAt,
      durationMs: run.durationMs,
      message: run.error ?? run.message,
    });
  }

  private changed(kind: 'added' | 'changed' | 'removed' | 'paused' | 'resumed', jobIds: string[]): void {
    this.events.emit('jobs:changed', { kind, jobIds });
    this.wake();
  }

  private viewOf(job: JobRecord, telemetry: JobTelemetry): JobView {
    return { job, trigger: this.triggerOf(job), ...telemetry };
  }

  private firstRunTime(def: JobDefinition, now: number): number | null {
    if (!def.trigger || !def.options.enabled) return null;
    const trigger = parseTrigger(def.trigger, { createdAt: new Date(now) });
    return trigger.nextFireTime(null, new Date(now))?.getTime() ?? null;
  }

  /** Next run time after a redefinition; undefined keeps the stored schedule. */
  private rescheduledRunTime(def: JobDefinition, existing: JobRecord, now: number): number | null | undefined {
    if (existing.paused) return null;
    const sameTrigger = JSON.stringify(def.trigger) === JSON.stringify(existing.trigger);
    if (sameTrigger && def.options.enabled === existing.options.enabled) return undefined;
    if (!def.trigger || !def.options.enabled) return null;
    const trigger = parseTrigger(def.trigger, { createdAt: existing.createdAt });
    return trigger.nextFireTime(null, new Date(now))?.getTime() ?? null;
  }

  private resumeRunTime(job: JobRecord, now: number): number | null {
    const trigger = this.triggerOf(job);
    if (!trigger || !job.options.enabled) return null;
    return trigger.nextFireTime(null, new Date(now))?.getTime() ?? null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Settles with the job's promise, or rejects as soon as the signal aborts (a job that ignores its signal cannot hold a slot). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Calls `fn` until it succeeds or `budgetMs` has passed, with capped exponential backoff. */
async function retrying<T>(fn: () => Promise<T>, budgetMs: number, onFailure: (error: unknown) => void): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      onFailure(error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
    }
  }
}

function delay(ms: number): { promise: Promise<'timeout'>; cancel(): void } {
  let timer!: NodeJS.Timeout;
  const promise = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}
