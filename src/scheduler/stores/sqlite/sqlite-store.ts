import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { definitionVersion } from '../../definition-version.js';
import { planClaim } from '../../claim-plan.js';
import { compareDeploys, StaleDeployError, type DeployStamp } from '../../deploy-stamp.js';
import { statsDelta } from '../../stats.js';
import {
  JobExistsError,
  type AbandonedRun,
  type ClaimRequest,
  type ClaimResult,
  type ClaimedRun,
  type EnqueueRequest,
  type FinishFollowUp,
  type FinishItem,
  type FinishResult,
  type InstanceInfo,
  type InstanceRecord,
  type JobStore,
  type ReconcileDiff,
  type RunFilter,
  type RunOutcome,
  type RunPage,
  type ScheduleChange,
  type ScheduleFn,
  type VersionedDefinition,
} from '../../store.js';
import type { JobDefinition, JobRecord, JobStats, RunRecord, RunStatus, RunSummary } from '../../types.js';
import { loadMigrations, SchemaTooNewError } from '../migrations.js';
import {
  RUN_SUMMARY_COLUMNS,
  runsByJob,
  toInstance,
  toJob,
  toRun,
  toRunSummary,
  toStats,
  type InstanceRow,
  type JobRow,
  type RunRow,
  type StatsRow,
} from '../rows.js';

/**
 * The embedded job store. One process writes at a time (`BEGIN IMMEDIATE`), so
 * the claim logic is the same as PostgreSQL's without row locks. WAL mode lets
 * API reads proceed while the dispatcher writes.
 */
export class SqliteJobStore implements JobStore {
  readonly capabilities = { notifications: false } as const;
  private readonly db: Database.Database;

  private readonly statements = new Map<string, Database.Statement>();

  /** Compiling a statement costs more than running it: each SQL text is prepared once. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  async migrate(): Promise<void> {
    const migrations = loadMigrations('sqlite');
    const known = migrations.at(-1)?.version ?? 0;
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    this.db.transaction(() => {
      const current = (this.stmt('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
      if (current > known) throw new SchemaTooNewError(current, known);
      for (const m of migrations) {
        if (m.version <= current) continue;
        this.db.exec(m.sql);
        this.stmt('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      }
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  async listJobs(): Promise<JobRecord[]> {
    const rows = this.stmt('SELECT * FROM jobs ORDER BY next_run_time IS NULL, next_run_time, id')
      .all() as JobRow[];
    return rows.map(toJob);
  }

  async listWatchedJobs(): Promise<JobRecord[]> {
    const rows = this.stmt("SELECT * FROM jobs WHERE json_extract(options, '$.alertIfNoSuccessWithin') IS NOT NULL").all() as JobRow[];
    return rows.map(toJob);
  }

  async jobSummary(): Promise<{ count: number; nextRunTime: number | null }> {
    // The minimum comes from the jobs_due index; health checks call this often.
    const row = this.stmt('SELECT (SELECT count(*) FROM jobs) AS n, (SELECT min(next_run_time) FROM jobs WHERE next_run_time IS NOT NULL AND paused = 0) AS t').get() as {
      n: number;
      t: number | null;
    };
    return { count: row.n, nextRunTime: row.t };
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return this.jobById(id);
  }

  async insertJob(def: JobDefinition, nextRunTime: number | null, now: number): Promise<JobRecord> {
    return this.db.transaction(() => {
      if (this.jobById(def.id)) throw new JobExistsError(def.id);
      this.writeNewJob(def, definitionVersion(def), nextRunTime, now);
      return this.jobById(def.id)!;
    }).immediate();
  }

  async updateJob(def: JobDefinition, nextRunTime: number | null | undefined, now: number): Promise<JobRecord | null> {
    return this.db.transaction(() => {
      const existing = this.jobById(def.id);
      if (!existing) return null;
      this.writeChangedJob(def, definitionVersion(def), nextRunTime === undefined ? existing.nextRunTime?.getTime() ?? null : nextRunTime, now);
      return this.jobById(def.id);
    }).immediate();
  }

  async setSchedule(id: string, change: ScheduleChange, now: number): Promise<JobRecord | null> {
    const paused = change.kind === 'pause' ? 1 : change.kind === 'resume' ? 0 : null;
    const next = change.kind === 'pause' ? null : change.nextRunTime;
    const result = this.stmt('UPDATE jobs SET next_run_time = ?, paused = coalesce(?, paused), updated_at = ? WHERE id = ?')
      .run(next, paused, now, id);
    return result.changes === 0 ? null : this.jobById(id);
  }

  async deleteJob(id: string): Promise<boolean> {
    return this.stmt('DELETE FROM jobs WHERE id = ?').run(id).changes > 0;
  }

  async reconcile(owner: 'yaml', defs: readonly VersionedDefinition[], schedule: ScheduleFn, now: number, deploy: DeployStamp): Promise<ReconcileDiff> {
    return this.db.transaction(() => {
      const stored = this.stmt("SELECT value FROM scheduler_state WHERE key = 'yaml_deploy'").pluck().get() as string | undefined;
      if (stored && compareDeploys(deploy, JSON.parse(stored)) < 0) throw new StaleDeployError(JSON.parse(stored));
      this.stmt("INSERT OR REPLACE INTO scheduler_state (key, value) VALUES ('yaml_deploy', ?)").run(JSON.stringify(deploy));
      const diff: ReconcileDiff = { added: [], changed: [], removed: [] };
      const wanted = new Set(defs.map((d) => d.definition.id));
      for (const { definition, version } of defs) {
        const existing = this.jobById(definition.id);
        if (!existing) {
          this.writeNewJob(definition, version, schedule(definition, null), now);
          diff.added.push(definition.id);
        } else if (existing.owner === owner && existing.version !== version) {
          this.writeChangedJob(definition, version, existing.paused ? null : schedule(definition, existing), now);
          diff.changed.push(definition.id);
        }
      }
      // `owner` can only be 'yaml'; spelled out so the partial index jobs_yaml applies.
      const owned = this.stmt("SELECT id FROM jobs WHERE owner = 'yaml'").pluck().all() as string[];
      for (const id of owned) {
        if (wanted.has(id)) continue;
        this.stmt('DELETE FROM jobs WHERE id = ?').run(id);
        diff.removed.push(id);
      }
      return diff;
    }).immediate();
  }

  async nextDueAt(): Promise<number | null> {
    const row = this.stmt(
        `SELECT min(t) AS t FROM (
           SELECT min(next_run_time) AS t FROM jobs WHERE next_run_time IS NOT NULL AND paused = 0
           UNION ALL SELECT min(due_at) FROM runs WHERE status = 'pending')`,
      )
      .get() as { t: number | null };
    return row.t;
  }

  async claimDue(request: ClaimRequest): Promise<ClaimResult> {
    return this.db.transaction(() => this.claimDueSync(request)).immediate();
  }

  private claimDueSync(request: ClaimRequest): ClaimResult {
    const { now, horizon, limit } = request;
    const dueJobs = (
      this.stmt('SELECT * FROM jobs WHERE next_run_time <= ? AND paused = 0 ORDER BY next_run_time LIMIT ?')
        .all(horizon, limit) as JobRow[]
    ).map(toJob);
    const pendingRuns = (
      this.stmt("SELECT * FROM runs WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?")
        .all(horizon, limit) as RunRow[]
    ).map(toRun);
    const pending = pendingRuns.map((run) => ({ run, job: this.jobById(run.jobId) }));
    const jobIds = new Set([...dueJobs.map((j) => j.id), ...pendingRuns.map((r) => r.jobId)]);
    const running = new Map<string, number>();
    for (const id of jobIds) {
      running.set(id, (this.stmt("SELECT count(*) AS n FROM runs WHERE job_id = ? AND status = 'running'").get(id) as { n: number }).n);
    }
    const writes = planClaim({ request, dueJobs, pending, running });

    const written: { run: RunRecord; replacesOldest: boolean }[] = [];
    for (const row of writes.newRuns) {
      const inserted = this.stmt(
          `INSERT OR IGNORE INTO runs (job_id, scheduled_at, attempt, kind, status, due_at, instance_id, submitted_at, started_at, finished_at, lease_until, message)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(row.jobId, row.scheduledAt, row.attempt, row.kind, row.status, row.dueAt, row.instanceId, now, row.startedAt, row.finishedAt, row.leaseUntil, row.message);
      // The unique key makes a fire already in the ledger a no-op: this is what makes firing exactly-once.
      if (inserted.changes > 0) written.push({ run: this.runById(String(inserted.lastInsertRowid))!, replacesOldest: row.replacesOldest });
    }
    for (const change of writes.pendingChanges) {
      this.stmt('UPDATE runs SET status = ?, instance_id = ?, started_at = ?, finished_at = ?, lease_until = ?, message = coalesce(?, message) WHERE id = ?')
        .run(change.status, change.instanceId, change.startedAt, change.finishedAt, change.leaseUntil, change.message, change.runId);
      written.push({ run: this.runById(change.runId)!, replacesOldest: change.replacesOldest });
    }
    for (const { jobId, nextRunTime } of writes.nextRunTimes) {
      this.stmt('UPDATE jobs SET next_run_time = ? WHERE id = ?').run(nextRunTime, jobId);
    }

    const jobs = new Map([...dueJobs, ...pending.flatMap((p) => (p.job ? [p.job] : []))].map((j) => [j.id, j]));
    const result = { claimed: [] as ClaimedRun[], recorded: [] as RunRecord[], more: dueJobs.length === limit || pendingRuns.length === limit };
    for (const { run, replacesOldest } of written) {
      this.bumpStats(run, now);
      if (run.status === 'running') {
        result.claimed.push({ run, job: jobs.get(run.jobId)!, replaces: replacesOldest ? this.oldestRunning(run.jobId, run.id) : [] });
      } else if (run.status !== 'pending' || run.kind === 'schedule') {
        result.recorded.push(run);
      }
    }
    return result;
  }

  async finishRuns(items: readonly FinishItem[]): Promise<FinishResult[]> {
    return this.db.transaction(() => items.map(({ runId, outcome, followUp }) => this.finishSync(runId, outcome, followUp))).immediate();
  }

  private finishSync(runId: string, outcome: RunOutcome, followUp: FinishFollowUp): FinishResult {
    {
      const updated = this.stmt(
          `UPDATE runs SET status = ?, started_at = ?, finished_at = ?, duration_ms = ?, message = ?, error = ?, result = ?, log_tail = ?, lease_until = NULL
           WHERE id = ? AND status = 'running'`,
        )
        .run(
          outcome.status,
          outcome.startedAt,
          outcome.finishedAt,
          outcome.durationMs,
          outcome.message,
          outcome.error,
          outcome.result === null ? null : JSON.stringify(outcome.result),
          JSON.stringify(outcome.logTail),
          runId,
        );
      // Already finished elsewhere (e.g. marked abandoned after a long pause): keep that verdict.
      if (updated.changes === 0) return { run: this.runById(runId), enqueued: [] };
      const run = this.runById(runId)!;
      this.bumpStats(run, outcome.finishedAt);
      const enqueued: RunRecord[] = [];
      if (followUp.retryAt !== null) {
        const retry = this.enqueueSync({
          jobId: run.jobId,
          kind: 'retry',
          scheduledAt: run.scheduledAt.getTime(),
          dueAt: followUp.retryAt,
          attempt: run.attempt + 1,
          kwargs: run.kwargs,
          now: outcome.finishedAt,
        });
        enqueued.push(retry);
      }
      if (outcome.status === 'success') enqueued.push(...this.releaseDependants(run.jobId, outcome.finishedAt));
      if (followUp.deleteJob) this.stmt('DELETE FROM jobs WHERE id = ?').run(run.jobId);
      return { run, enqueued };
    }
  }

  async enqueueRun(request: EnqueueRequest): Promise<RunRecord> {
    return this.db.transaction(() => this.enqueueSync(request)).immediate();
  }

  async registerInstance(instance: InstanceInfo): Promise<void> {
    this.stmt('INSERT OR REPLACE INTO instances (id, host, pid, version, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(instance.id, instance.host, instance.pid, instance.version, instance.startedAt, instance.startedAt);
  }

  async heartbeat(instanceId: string, now: number, leaseMs: number): Promise<void> {
    this.db.transaction(() => {
      this.stmt('UPDATE instances SET heartbeat_at = ? WHERE id = ?').run(now, instanceId);
      this.stmt("UPDATE runs SET lease_until = ? WHERE instance_id = ? AND status = 'running'").run(now + leaseMs, instanceId);
    }).immediate();
  }

  async abandonExpired(now: number, isLocalProcessAlive: (host: string, pid: number) => boolean): Promise<AbandonedRun[]> {
    return this.db.transaction(() => {
      const candidates = this.stmt(
          `SELECT r.*, i.host AS i_host, i.pid AS i_pid FROM runs r LEFT JOIN instances i ON i.id = r.instance_id
           WHERE r.status = 'running'`,
        )
        .all() as (RunRow & { lease_until: number | null; i_host: string | null; i_pid: number | null })[];
      const abandoned: AbandonedRun[] = [];
      for (const row of candidates) {
        const expired = row.lease_until === null || row.lease_until < now;
        const ownerGone = row.i_host !== null && row.i_pid !== null && !isLocalProcessAlive(row.i_host, row.i_pid);
        if (!expired && !ownerGone) continue;
        const why = ownerGone ? 'its process is gone' : 'its instance stopped renewing the lease';
        this.stmt("UPDATE runs SET status = 'abandoned', finished_at = ?, error = ?, lease_until = NULL WHERE id = ?")
          .run(now, `abandoned: ${why}`, row.id);
        const run = this.runById(String(row.id))!;
        this.bumpStats(run, now);
        abandoned.push({ run, job: this.jobById(run.jobId) });
      }
      this.stmt('DELETE FROM instances WHERE heartbeat_at < ?').run(now - 24 * 3600_000);
      return abandoned;
    }).immediate();
  }

  async listInstances(): Promise<InstanceRecord[]> {
    return (this.stmt('SELECT * FROM instances ORDER BY started_at').all() as InstanceRow[]).map(toInstance);
  }

  async unregisterInstance(instanceId: string): Promise<void> {
    this.stmt('DELETE FROM instances WHERE id = ?').run(instanceId);
  }

  async getSchedulerPaused(): Promise<boolean> {
    const row = this.stmt("SELECT value FROM scheduler_state WHERE key = 'paused'").get() as { value: string } | undefined;
    return row?.value === 'true';
  }

  async setSchedulerPaused(paused: boolean): Promise<void> {
    this.stmt("INSERT OR REPLACE INTO scheduler_state (key, value) VALUES ('paused', ?)").run(String(paused));
  }

  async listRuns(filter: RunFilter): Promise<RunPage> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.jobId !== undefined) {
      where.push('job_id = ?');
      params.push(filter.jobId);
    }
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    if (filter.from !== undefined) {
      where.push('scheduled_at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('scheduled_at < ?');
      params.push(filter.to);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.stmt(`SELECT count(*) AS n FROM runs ${clause}`).get(...params) as { n: number }).n;
    const rows = this.stmt(`SELECT * FROM runs ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...params, filter.limit, filter.offset) as RunRow[];
    return { runs: rows.map(toRun), total };
  }

  async getRun(id: string): Promise<RunRecord | null> {
    return this.runById(id);
  }

  async jobStats(jobIds?: readonly string[]): Promise<Map<string, JobStats>> {
    const rows = (
      jobIds === undefined
        ? this.stmt('SELECT * FROM job_stats').all()
        : jobIds.flatMap((id) => this.stmt('SELECT * FROM job_stats WHERE job_id = ?').all(id))
    ) as StatsRow[];
    return new Map(rows.map((row) => [row.job_id, toStats(row)]));
  }

  async recentRuns(jobIds: readonly string[], limit: number): Promise<Map<string, RunSummary[]>> {
    const recent = this.stmt(`SELECT ${RUN_SUMMARY_COLUMNS} FROM runs WHERE job_id = ? ORDER BY id DESC LIMIT ?`);
    return runsByJob(jobIds.flatMap((id) => (recent.all(id, limit) as RunRow[]).map(toRunSummary)));
  }

  async pruneRuns(before: number): Promise<number> {
    return this.stmt('DELETE FROM runs WHERE finished_at IS NOT NULL AND finished_at < ?').run(before).changes;
  }

  private jobById(id: string): JobRecord | null {
    const row = this.stmt('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  private runById(id: string): RunRecord | null {
    const row = this.stmt('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  private writeNewJob(def: JobDefinition, version: string, nextRunTime: number | null, now: number): void {
    this.stmt(
        `INSERT INTO jobs (id, func, trigger, kwargs, options, owner, version, created_at, updated_at, next_run_time, paused)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      )
      .run(def.id, def.func, json(def.trigger), JSON.stringify(def.kwargs), JSON.stringify(def.options), def.owner, version, now, now, nextRunTime);
    this.writeDependencies(def);
  }

  private writeChangedJob(def: JobDefinition, version: string, nextRunTime: number | null, now: number): void {
    this.stmt(
        `UPDATE jobs SET func = ?, trigger = ?, kwargs = ?, options = ?, owner = ?, version = ?, updated_at = ?, next_run_time = ?
         WHERE id = ?`,
      )
      .run(def.func, json(def.trigger), JSON.stringify(def.kwargs), JSON.stringify(def.options), def.owner, version, now, nextRunTime, def.id);
    this.writeDependencies(def);
  }

  private writeDependencies(def: JobDefinition): void {
    const parents = new Set(def.options.dependsOn);
    const existing = this.stmt('SELECT parent_id FROM job_dependencies WHERE child_id = ?').pluck().all(def.id) as string[];
    for (const parent of existing) {
      if (!parents.has(parent)) this.stmt('DELETE FROM job_dependencies WHERE child_id = ? AND parent_id = ?').run(def.id, parent);
    }
    for (const parent of parents) {
      this.stmt('INSERT OR IGNORE INTO job_dependencies (child_id, parent_id) VALUES (?, ?)').run(def.id, parent);
    }
  }

  /** Marks `parentId` satisfied for its dependants; enqueues each dependant whose parents are now all satisfied. */
  private releaseDependants(parentId: string, now: number): RunRecord[] {
    this.stmt('UPDATE job_dependencies SET satisfied_at = ? WHERE parent_id = ?').run(now, parentId);
    const ready = this.stmt(
        `SELECT d.child_id FROM job_dependencies d JOIN jobs j ON j.id = d.child_id
         WHERE d.parent_id = ? AND j.paused = 0
           AND NOT EXISTS (SELECT 1 FROM job_dependencies o WHERE o.child_id = d.child_id AND o.satisfied_at IS NULL)`,
      )
      .pluck()
      .all(parentId) as string[];
    return ready.map((childId) => {
      this.stmt('UPDATE job_dependencies SET satisfied_at = NULL WHERE child_id = ?').run(childId);
      return this.enqueueSync({ jobId: childId, kind: 'dependency', scheduledAt: now, dueAt: now, attempt: 1, kwargs: null, now });
    });
  }

  private enqueueSync(request: EnqueueRequest): RunRecord {
    // A second request for the same instant (e.g. two triggers in one millisecond) moves to the next free one.
    for (let scheduledAt = request.scheduledAt; ; scheduledAt++) {
      const inserted = this.stmt(
          `INSERT OR IGNORE INTO runs (job_id, scheduled_at, attempt, kind, status, due_at, kwargs, submitted_at)
           VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
        )
        .run(request.jobId, scheduledAt, request.attempt, request.kind, request.dueAt, json(request.kwargs), request.now);
      if (inserted.changes > 0) return this.runById(String(inserted.lastInsertRowid))!;
    }
  }

  private oldestRunning(jobId: string, exceptRunId: string): string[] {
    const id = this.stmt("SELECT id FROM runs WHERE job_id = ? AND status = 'running' AND id <> ? ORDER BY started_at, id LIMIT 1")
      .pluck()
      .get(jobId, exceptRunId) as number | undefined;
    return id === undefined ? [] : [String(id)];
  }

  private bumpStats(run: RunRecord, now: number): void {
    const delta = statsDelta(run.status as RunStatus);
    if (!delta) return;
    const starting = run.status === 'running';
    this.stmt(
        `INSERT INTO job_stats (job_id) VALUES (?) ON CONFLICT (job_id) DO NOTHING`,
      )
      .run(run.jobId);
    this.stmt(
        `UPDATE job_stats SET
           total_runs = total_runs + ?, total_success = total_success + ?, total_error = total_error + ?, total_missed = total_missed + ?,
           last_event = ?,
           last_scheduled_at = CASE WHEN ? THEN ? ELSE last_scheduled_at END,
           last_started_at = CASE WHEN ? THEN ? ELSE last_started_at END,
           last_finished_at = CASE WHEN ? THEN ? ELSE last_finished_at END,
           last_duration_ms = CASE WHEN ? THEN ? ELSE last_duration_ms END,
           last_error = CASE WHEN ? THEN ? ELSE last_error END,
           last_success_at = CASE WHEN ? THEN ? ELSE last_success_at END
         WHERE job_id = ?`,
      )
      .run(
        delta.runs,
        delta.success,
        delta.error,
        delta.missed,
        delta.event,
        starting ? 1 : 0,
        run.scheduledAt.getTime(),
        starting ? 1 : 0,
        run.startedAt?.getTime() ?? now,
        delta.runs,
        run.finishedAt?.getTime() ?? now,
        delta.runs,
        run.durationMs,
        delta.error,
        run.error,
        delta.success,
        run.finishedAt?.getTime() ?? now,
        run.jobId,
      );
  }
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
