import pg from 'pg';
import { planClaim, type NewRun } from '../../claim-plan.js';
import { compareDeploys, StaleDeployError, type DeployStamp } from '../../deploy-stamp.js';
import { definitionVersion } from '../../definition-version.js';
import { statsDelta } from '../../stats.js';
import {
  JobExistsError,
  type AbandonedRun,
  type ClaimedRun,
  type ClaimRequest,
  type ClaimResult,
  type EnqueueRequest,
  type FinishItem,
  type FinishResult,
  type InstanceInfo,
  type InstanceRecord,
  type JobStore,
  type ReconcileDiff,
  type RunFilter,
  type RunPage,
  type ScheduleChange,
  type ScheduleFn,
  type StoreNotification,
  type VersionedDefinition,
} from '../../store.js';
import type { JobDefinition, JobRecord, JobStats, RunRecord, RunStatus, RunSummary } from '../../types.js';
import { loadMigrations, SchemaTooNewError } from '../migrations.js';
import { RUN_SUMMARY_COLUMNS, runsByJob, toInstance, toJob, toRun, toRunSummary, toStats, type InstanceRow, type JobRow, type RunRow, type StatsRow } from '../rows.js';
import { NotificationListener } from './notification-listener.js';

type Queryable = pg.Pool | pg.PoolClient;

/** Errors a transaction is simply retried on. */
const RETRYABLE = new Set(['40001', '40P01']);

/** bigint columns hold epoch milliseconds, well inside Number's exact range. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresStoreOptions {
  readonly url: string;
  /** @default 'kairos' */
  readonly schema?: string;
  /** @default 10 */
  readonly poolSize?: number;
}

/**
 * The production job store. Several instances share it: claims lock due job
 * rows with `FOR UPDATE SKIP LOCKED`, so each job is planned by one instance at
 * a time, and the ledger's unique key makes any second insert of a fire a no-op.
 * Changes are announced with NOTIFY inside the transaction that makes them.
 */
export class PostgresJobStore implements JobStore {
  readonly capabilities = { notifications: true } as const;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly channel: string;
  private listener: NotificationListener | null = null;

  constructor(private readonly options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'kairos';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) throw new Error(`invalid PostgreSQL schema name '${this.schema}'`);
    this.channel = `kairos_${this.schema}`;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      options: `-c search_path=${this.schema}`,
      types,
      connectionTimeoutMillis: 5_000,
    });
    // An idle client that loses its connection (server restart) must not crash the process.
    this.pool.on('error', () => {});
  }

  async migrate(): Promise<void> {
    const migrations = loadMigrations('postgres');
    const known = migrations.at(-1)?.version ?? 0;
    await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kairos_migrate_${this.schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const current = (await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]!.v ?? 0;
      if (current > known) throw new SchemaTooNewError(current, known);
      for (const m of migrations) {
        if (m.version <= current) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      }
    });
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = null;
    await this.pool.end().catch(() => {});
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Calls `listener` for every change any instance announces; reconnects by itself. */
  async subscribe(listener: (n: StoreNotification) => void, onConnectionChange?: (connected: boolean) => void): Promise<void> {
    this.listener ??= new NotificationListener(this.options.url, this.channel, onConnectionChange);
    this.listener.onMessage((payload) => {
      try {
        listener(JSON.parse(payload) as StoreNotification);
      } catch {
        // A malformed payload (another tool on the channel) is ignored.
      }
    });
    await this.listener.start();
  }

  async listJobs(): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM jobs ORDER BY next_run_time IS NULL, next_run_time, id');
    return rows.map(toJob);
  }

  async listWatchedJobs(): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<JobRow>("SELECT * FROM jobs WHERE options->>'alertIfNoSuccessWithin' IS NOT NULL");
    return rows.map(toJob);
  }

  async jobSummary(): Promise<{ count: number; nextRunTime: number | null }> {
    // The minimum comes from the jobs_due index; health checks call this often.
    const { rows } = await this.pool.query<{ n: number; t: number | null }>(
      'SELECT (SELECT count(*)::int FROM jobs) AS n, (SELECT min(next_run_time) FROM jobs WHERE next_run_time IS NOT NULL AND NOT paused) AS t',
    );
    return { count: rows[0]!.n, nextRunTime: rows[0]!.t };
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return jobById(this.pool, id);
  }

  async insertJob(def: JobDefinition, nextRunTime: number | null, now: number): Promise<JobRecord> {
    return this.tx(async (c) => {
      const inserted = await writeNewJob(c, def, definitionVersion(def), nextRunTime, now);
      if (!inserted) throw new JobExistsError(def.id);
      await this.notify(c, { type: 'changed' });
      return (await jobById(c, def.id))!;
    });
  }

  async updateJob(def: JobDefinition, nextRunTime: number | null | undefined, now: number): Promise<JobRecord | null> {
    return this.tx(async (c) => {
      const existing = await jobById(c, def.id, true);
      if (!existing) return null;
      await writeChangedJob(c, def, definitionVersion(def), nextRunTime === undefined ? existing.nextRunTime?.getTime() ?? null : nextRunTime, now);
      await this.notify(c, { type: 'changed' });
      return jobById(c, def.id);
    });
  }

  async setSchedule(id: string, change: ScheduleChange, now: number): Promise<JobRecord | null> {
    const paused = change.kind === 'pause' ? true : change.kind === 'resume' ? false : null;
    const next = change.kind === 'pause' ? null : change.nextRunTime;
    return this.tx(async (c) => {
      const { rowCount } = await c.query('UPDATE jobs SET next_run_time = $1, paused = coalesce($2, paused), updated_at = $3 WHERE id = $4', [next, paused, now, id]);
      if (!rowCount) return null;
      await this.notify(c, { type: 'changed' });
      return jobById(c, id);
    });
  }

  async deleteJob(id: string): Promise<boolean> {
    return this.tx(async (c) => {
      const { rowCount } = await c.query('DELETE FROM jobs WHERE id = $1', [id]);
      if (rowCount) await this.notify(c, { type: 'changed' });
      return Boolean(rowCount);
    });
  }

  async reconcile(owner: 'yaml', defs: readonly VersionedDefinition[], schedule: ScheduleFn, now: number, deploy: DeployStamp): Promise<ReconcileDiff> {
    return this.tx(async (c) => {
      // Instances starting together reconcile one after another, each seeing the previous one's result.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kairos_reconcile_${this.schema}`]);
      const stored = (await c.query<{ value: string }>("SELECT value FROM scheduler_state WHERE key = 'yaml_deploy'")).rows[0]?.value;
      if (stored && compareDeploys(deploy, JSON.parse(stored)) < 0) throw new StaleDeployError(JSON.parse(stored));
      await c.query("INSERT INTO scheduler_state (key, value) VALUES ('yaml_deploy', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [JSON.stringify(deploy)]);
      const diff: ReconcileDiff = { added: [], changed: [], removed: [] };
      const wanted = new Set(defs.map((d) => d.definition.id));
      for (const { definition, version } of defs) {
        const existing = await jobById(c, definition.id, true);
        if (!existing) {
          await writeNewJob(c, definition, version, schedule(definition, null), now);
          diff.added.push(definition.id);
        } else if (existing.owner === owner && existing.version !== version) {
          await writeChangedJob(c, definition, version, existing.paused ? null : schedule(definition, existing), now);
          diff.changed.push(definition.id);
        }
      }
      // `owner` can only be 'yaml'; spelled out so the partial index jobs_yaml applies.
      const { rows } = await c.query<{ id: string }>("SELECT id FROM jobs WHERE owner = 'yaml'");
      for (const { id } of rows) {
        if (wanted.has(id)) continue;
        await c.query('DELETE FROM jobs WHERE id = $1', [id]);
        diff.removed.push(id);
      }
      if (diff.added.length || diff.changed.length || diff.removed.length) await this.notify(c, { type: 'changed' });
      return diff;
    });
  }

  async nextDueAt(): Promise<number | null> {
    const { rows } = await this.pool.query<{ t: number | null }>(
      `SELECT least((SELECT min(next_run_time) FROM jobs WHERE next_run_time IS NOT NULL AND NOT paused),
                    (SELECT min(due_at) FROM runs WHERE status = 'pending')) AS t`,
    );
    return rows[0]!.t;
  }

  async claimDue(request: ClaimRequest): Promise<ClaimResult> {
    return this.tx(async (c) => {
      const { now, horizon, limit, instanceId } = request;
      const dueJobs = (
        await c.query<JobRow>('SELECT * FROM jobs WHERE next_run_time <= $1 AND NOT paused ORDER BY next_run_time LIMIT $2 FOR UPDATE SKIP LOCKED', [horizon, limit])
      ).rows.map(toJob);
      const pendingRuns = (
        await c.query<RunRow>("SELECT * FROM runs WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED", [horizon, limit])
      ).rows.map(toRun);
      // A pending run is handled only by the instance holding its job's row, so max_instances holds cluster-wide.
      const held = new Map(dueJobs.map((j) => [j.id, j]));
      const otherIds = [...new Set(pendingRuns.map((r) => r.jobId))].filter((id) => !held.has(id));
      const locked = otherIds.length
        ? (await c.query<JobRow>('SELECT * FROM jobs WHERE id = ANY($1) FOR UPDATE SKIP LOCKED', [otherIds])).rows.map(toJob)
        : [];
      for (const job of locked) held.set(job.id, job);
      const existingIds = otherIds.length ? new Set((await c.query<{ id: string }>('SELECT id FROM jobs WHERE id = ANY($1)', [otherIds])).rows.map((r) => r.id)) : new Set<string>();
      const pending = pendingRuns
        .filter((run) => held.has(run.jobId) || !existingIds.has(run.jobId))
        .map((run) => ({ run, job: held.get(run.jobId) ?? null }));
      const ids = [...held.keys()];
      const running = new Map(
        ids.length
          ? (await c.query<{ job_id: string; n: number }>("SELECT job_id, count(*)::int AS n FROM runs WHERE status = 'running' AND job_id = ANY($1) GROUP BY job_id", [ids])).rows.map((r) => [r.job_id, r.n])
          : [],
      );
      const writes = planClaim({ request, dueJobs, pending, running });

      const written: { run: RunRecord; replacesOldest: boolean }[] = [];
      if (writes.newRuns.length) {
        const inserted = await insertRuns(c, writes.newRuns, now);
        const replaces = new Map(writes.newRuns.map((r) => [`${r.jobId}\u0000${r.scheduledAt}`, r.replacesOldest]));
        for (const run of inserted) written.push({ run, replacesOldest: replaces.get(`${run.jobId}\u0000${run.scheduledAt.getTime()}`) ?? false });
      }
      if (writes.pendingChanges.length) {
        const changes = writes.pendingChanges;
        const { rows } = await c.query<RunRow>(
          `UPDATE runs r SET status = v.status, instance_id = v.instance_id, started_at = v.started_at, finished_at = v.finished_at,
                  lease_until = v.lease_until, message = coalesce(v.message, r.message)
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[])
             AS v(id, status, instance_id, started_at, finished_at, lease_until, message)
           WHERE r.id = v.id RETURNING r.*`,
          [
            changes.map((x) => x.runId),
            changes.map((x) => x.status),
            changes.map((x) => x.instanceId),
            changes.map((x) => x.startedAt),
            changes.map((x) => x.finishedAt),
            changes.map((x) => x.leaseUntil),
            changes.map((x) => x.message),
          ],
        );
        const replaces = new Map(changes.map((x) => [x.runId, x.replacesOldest]));
        for (const row of rows) written.push({ run: toRun(row), replacesOldest: replaces.get(String(row.id)) ?? false });
      }
      if (writes.nextRunTimes.length) {
        await c.query('UPDATE jobs j SET next_run_time = v.t FROM unnest($1::text[], $2::bigint[]) AS v(id, t) WHERE j.id = v.id', [
          writes.nextRunTimes.map((x) => x.jobId),
          writes.nextRunTimes.map((x) => x.nextRunTime),
        ]);
      }
      await bumpStats(c, written.map((w) => w.run), now);
      const result: ClaimResult = { claimed: [], recorded: [], more: dueJobs.length === limit || pendingRuns.length === limit };
      for (const { run, replacesOldest } of written) {
        if (run.status === 'running') {
          result.claimed.push({ run, job: held.get(run.jobId)!, replaces: replacesOldest ? await oldestRunning(c, run.jobId, run.id) : [] } satisfies ClaimedRun);
        } else if (run.status !== 'pending' || run.kind === 'schedule') {
          result.recorded.push(run);
        }
      }
      if (written.length) await this.notify(c, { type: 'runs', instanceId, runIds: written.map((w) => w.run.id) });
      return result;
    });
  }

  /** A handful of statements per batch, whatever its size: the outcome update, stats, follow-ups. */
  async finishRuns(items: readonly FinishItem[]): Promise<FinishResult[]> {
    return this.tx(async (c) => {
      const { rows } = await c.query<RunRow>(
        `UPDATE runs r SET status = v.status, started_at = v.started_at, finished_at = v.finished_at, duration_ms = v.duration_ms, message = v.message,
                error = v.error, result = v.result, log_tail = v.log_tail, lease_until = NULL
         FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::float8[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::bigint[])
           AS v(id, status, finished_at, duration_ms, message, error, result, log_tail, started_at)
         WHERE r.id = v.id AND r.status = 'running' RETURNING r.*`,
        [
          items.map((i) => i.runId),
          items.map((i) => i.outcome.status),
          items.map((i) => i.outcome.finishedAt),
          items.map((i) => i.outcome.durationMs),
          items.map((i) => i.outcome.message),
          items.map((i) => i.outcome.error),
          items.map((i) => (i.outcome.result === null ? null : JSON.stringify(i.outcome.result))),
          items.map((i) => JSON.stringify(i.outcome.logTail)),
          items.map((i) => i.outcome.startedAt),
        ],
      );
      const finished = new Map(rows.map((row) => [String(row.id), toRun(row)]));
      await bumpStats(c, [...finished.values()], Math.max(...items.map((i) => i.outcome.finishedAt)));
      const parents = new Set(
        (await c.query<{ parent_id: string }>('SELECT DISTINCT parent_id FROM job_dependencies WHERE parent_id = ANY($1)', [[...finished.values()].filter((r) => r.status === 'success').map((r) => r.jobId)])).rows.map((r) => r.parent_id),
      );
      const results: FinishResult[] = [];
      for (const { runId, outcome, followUp } of items) {
        const run = finished.get(runId);
        // Already finished elsewhere (e.g. marked abandoned while this instance was cut off): keep that verdict.
        if (!run) {
          results.push({ run: await runById(c, runId), enqueued: [] });
          continue;
        }
        const enqueued: RunRecord[] = [];
        if (followUp.retryAt !== null) {
          enqueued.push(
            await enqueue(c, { jobId: run.jobId, kind: 'retry', scheduledAt: run.scheduledAt.getTime(), dueAt: followUp.retryAt, attempt: run.attempt + 1, kwargs: run.kwargs, now: outcome.finishedAt }),
          );
        }
        if (outcome.status === 'success' && parents.has(run.jobId)) enqueued.push(...(await releaseDependants(c, run.jobId, outcome.finishedAt)));
        results.push({ run, enqueued });
      }
      const doomed = items.filter((i) => i.followUp.deleteJob && finished.has(i.runId)).map((i) => finished.get(i.runId)!.jobId);
      if (doomed.length) await c.query('DELETE FROM jobs WHERE id = ANY($1)', [doomed]);
      const runIds = results.flatMap((r) => [...(r.run ? [r.run.id] : []), ...r.enqueued.map((e) => e.id)]);
      if (runIds.length) await this.notify(c, { type: 'runs', instanceId: results[0]?.run?.instanceId ?? '', runIds });
      return results;
    });
  }

  async enqueueRun(request: EnqueueRequest): Promise<RunRecord> {
    return this.tx(async (c) => {
      const run = await enqueue(c, request);
      await this.notify(c, { type: 'changed' });
      return run;
    });
  }

  async registerInstance(instance: InstanceInfo): Promise<void> {
    await this.pool.query(
      `INSERT INTO instances (id, host, pid, version, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at`,
      [instance.id, instance.host, instance.pid, instance.version, instance.startedAt],
    );
  }

  async heartbeat(instanceId: string, now: number, leaseMs: number): Promise<void> {
    await this.tx(async (c) => {
      await c.query('UPDATE instances SET heartbeat_at = $1 WHERE id = $2', [now, instanceId]);
      // Rows being finished right now are locked by that transaction and need no lease: skipping them
      // (rather than waiting, in whatever order the scan meets them) is what keeps this from deadlocking with it.
      await c.query(
        `UPDATE runs SET lease_until = $1 WHERE id IN (
           SELECT id FROM runs WHERE instance_id = $2 AND status = 'running' ORDER BY id FOR UPDATE SKIP LOCKED)`,
        [now + leaseMs, instanceId],
      );
    });
  }

  async abandonExpired(now: number, isLocalProcessAlive: (host: string, pid: number) => boolean): Promise<AbandonedRun[]> {
    return this.tx(async (c) => {
      const { rows } = await c.query<RunRow & { lease_until: number | null; i_host: string | null; i_pid: number | null }>(
        `SELECT r.*, i.host AS i_host, i.pid AS i_pid FROM runs r LEFT JOIN instances i ON i.id = r.instance_id
         WHERE r.status = 'running' FOR UPDATE OF r SKIP LOCKED`,
      );
      const abandoned: AbandonedRun[] = [];
      for (const row of rows) {
        const expired = row.lease_until === null || row.lease_until < now;
        const ownerGone = row.i_host !== null && row.i_pid !== null && !isLocalProcessAlive(row.i_host, row.i_pid);
        if (!expired && !ownerGone) continue;
        const why = ownerGone ? 'its process is gone' : 'its instance stopped renewing the lease';
        const updated = await c.query<RunRow>(
          "UPDATE runs SET status = 'abandoned', finished_at = $1, error = $2, lease_until = NULL WHERE id = $3 RETURNING *",
          [now, `abandoned: ${why}`, row.id],
        );
        const run = toRun(updated.rows[0]!);
        abandoned.push({ run, job: await jobById(c, run.jobId) });
      }
      await bumpStats(c, abandoned.map((a) => a.run), now);
      await c.query('DELETE FROM instances WHERE heartbeat_at < $1', [now - 24 * 3600_000]);
      if (abandoned.length) await this.notify(c, { type: 'runs', instanceId: '', runIds: abandoned.map((a) => a.run.id) });
      return abandoned;
    });
  }

  async listInstances(): Promise<InstanceRecord[]> {
    return (await this.pool.query<InstanceRow>('SELECT * FROM instances ORDER BY started_at')).rows.map(toInstance);
  }

  async unregisterInstance(instanceId: string): Promise<void> {
    await this.pool.query('DELETE FROM instances WHERE id = $1', [instanceId]);
  }

  async getSchedulerPaused(): Promise<boolean> {
    const { rows } = await this.pool.query<{ value: string }>("SELECT value FROM scheduler_state WHERE key = 'paused'");
    return rows[0]?.value === 'true';
  }

  async setSchedulerPaused(paused: boolean): Promise<void> {
    await this.tx(async (c) => {
      await c.query("INSERT INTO scheduler_state (key, value) VALUES ('paused', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [String(paused)]);
      await this.notify(c, { type: 'state' });
    });
  }

  async listRuns(filter: RunFilter): Promise<RunPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.jobId !== undefined) add('job_id = ?', filter.jobId);
    if (filter.statuses?.length) add('status = ANY(?)', filter.statuses);
    if (filter.from !== undefined) add('scheduled_at >= ?', filter.from);
    if (filter.to !== undefined) add('scheduled_at < ?', filter.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs ${clause}`, params)).rows[0]!.n;
    const { rows } = await this.pool.query<RunRow>(`SELECT * FROM runs ${clause} ORDER BY id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
      ...params,
      filter.limit,
      filter.offset,
    ]);
    return { runs: rows.map(toRun), total };
  }

  async getRun(id: string): Promise<RunRecord | null> {
    return runById(this.pool, id);
  }

  async jobStats(jobIds?: readonly string[]): Promise<Map<string, JobStats>> {
    const { rows } =
      jobIds === undefined
        ? await this.pool.query<StatsRow>('SELECT * FROM job_stats')
        : await this.pool.query<StatsRow>('SELECT * FROM job_stats WHERE job_id = ANY($1)', [jobIds]);
    return new Map(rows.map((row) => [row.job_id, toStats(row)]));
  }

  async recentRuns(jobIds: readonly string[], limit: number): Promise<Map<string, RunSummary[]>> {
    // One round trip; each job's runs come from its index range (runs_job_recent).
    const { rows } = await this.pool.query<RunRow>(
      `SELECT r.* FROM unnest($1::text[]) AS j(id)
       CROSS JOIN LATERAL (SELECT ${RUN_SUMMARY_COLUMNS} FROM runs WHERE job_id = j.id ORDER BY id DESC LIMIT $2) r`,
      [jobIds, limit],
    );
    return runsByJob(rows.map(toRunSummary));
  }

  async pruneRuns(before: number): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM runs WHERE finished_at IS NOT NULL AND finished_at < $1', [before]);
    return rowCount ?? 0;
  }

  private async notify(c: Queryable, notification: StoreNotification): Promise<void> {
    for (const payload of notificationPayloads(notification)) await c.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      // A connection cut while we hold the client between queries is emitted as an 'error' event;
      // unheard it would crash the process. The next query then fails and the transaction is retried or reported.
      const onError = (): void => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        const code = (error as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < 5) continue;
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    }
  }
}

async function jobById(c: Queryable, id: string, lock = false): Promise<JobRecord | null> {
  const { rows } = await c.query<JobRow>(`SELECT * FROM jobs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toJob(rows[0]) : null;
}

async function runById(c: Queryable, id: string): Promise<RunRecord | null> {
  if (!/^\d+$/.test(id)) return null;
  const { rows } = await c.query<RunRow>('SELECT * FROM runs WHERE id = $1', [id]);
  return rows[0] ? toRun(rows[0]) : null;
}

async function writeNewJob(c: Queryable, def: JobDefinition, version: string, nextRunTime: number | null, now: number): Promise<boolean> {
  const { rowCount } = await c.query(
    `INSERT INTO jobs (id, func, trigger, kwargs, options, owner, version, created_at, updated_at, next_run_time, paused)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, false) ON CONFLICT (id) DO NOTHING`,
    [def.id, def.func, def.trigger === null ? null : JSON.stringify(def.trigger), JSON.stringify(def.kwargs), JSON.stringify(def.options), def.owner, version, now, nextRunTime],
  );
  if (rowCount) await writeDependencies(c, def);
  return Boolean(rowCount);
}

async function writeChangedJob(c: Queryable, def: JobDefinition, version: string, nextRunTime: number | null, now: number): Promise<void> {
  await c.query(
    `UPDATE jobs SET func = $2, trigger = $3, kwargs = $4, options = $5, owner = $6, version = $7, updated_at = $8, next_run_time = $9 WHERE id = $1`,
    [def.id, def.func, def.trigger === null ? null : JSON.stringify(def.trigger), JSON.stringify(def.kwargs), JSON.stringify(def.options), def.owner, version, now, nextRunTime],
  );
  await writeDependencies(c, def);
}

async function writeDependencies(c: Queryable, def: JobDefinition): Promise<void> {
  const parents = [...new Set(def.options.dependsOn)];
  await c.query('DELETE FROM job_dependencies WHERE child_id = $1 AND NOT (parent_id = ANY($2))', [def.id, parents]);
  if (parents.length) {
    await c.query('INSERT INTO job_dependencies (child_id, parent_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [def.id, parents]);
  }
}

/** Marks `parentId` satisfied for its dependants; enqueues each dependant whose parents are now all satisfied. */
async function releaseDependants(c: Queryable, parentId: string, now: number): Promise<RunRecord[]> {
  await c.query('UPDATE job_dependencies SET satisfied_at = $1 WHERE parent_id = $2', [now, parentId]);
  const { rows } = await c.query<{ child_id: string }>(
    `SELECT d.child_id FROM job_dependencies d JOIN jobs j ON j.id = d.child_id
     WHERE d.parent_id = $1 AND NOT j.paused
       AND NOT EXISTS (SELECT 1 FROM job_dependencies o WHERE o.child_id = d.child_id AND o.satisfied_at IS NULL)`,
    [parentId],
  );
  const runs: RunRecord[] = [];
  for (const { child_id } of rows) {
    await c.query('UPDATE job_dependencies SET satisfied_at = NULL WHERE child_id = $1', [child_id]);
    runs.push(await enqueue(c, { jobId: child_id, kind: 'dependency', scheduledAt: now, dueAt: now, attempt: 1, kwargs: null, now }));
  }
  return runs;
}

async function enqueue(c: Queryable, request: EnqueueRequest): Promise<RunRecord> {
  // A second request for the same instant (e.g. two triggers in one millisecond) moves to the next free one.
  const { rows } = await c.query<RunRow>(
    `INSERT INTO runs (job_id, scheduled_at, attempt, kind, status, due_at, kwargs, submitted_at)
     SELECT $1, t, $3, $4, 'pending', $5, $6, $7
     FROM generate_series($2::bigint, $2::bigint + 1000) AS t
     WHERE NOT EXISTS (SELECT 1 FROM runs WHERE job_id = $1 AND scheduled_at = t AND attempt = $3)
     ORDER BY t LIMIT 1
     ON CONFLICT DO NOTHING RETURNING *`,
    [request.jobId, request.scheduledAt, request.attempt, request.kind, request.dueAt, request.kwargs === null ? null : JSON.stringify(request.kwargs), request.now],
  );
  if (!rows[0]) throw new Error(`could not enqueue a run of '${request.jobId}': its ledger slots are taken`);
  return toRun(rows[0]);
}

async function insertRuns(c: Queryable, runs: readonly NewRun[], now: number): Promise<RunRecord[]> {
  const { rows } = await c.query<RunRow>(
    `INSERT INTO runs (job_id, scheduled_at, attempt, kind, status, due_at, instance_id, submitted_at, started_at, finished_at, lease_until, message)
     SELECT job_id, scheduled_at, attempt, kind, status, due_at, instance_id, $11, started_at, finished_at, lease_until, message
     FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $12::text[])
       AS v(job_id, scheduled_at, attempt, kind, status, due_at, instance_id, started_at, finished_at, lease_until, message)
     ON CONFLICT (job_id, scheduled_at, attempt) DO NOTHING RETURNING *`,
    [
      runs.map((r) => r.jobId),
      runs.map((r) => r.scheduledAt),
      runs.map((r) => r.attempt),
      runs.map((r) => r.kind),
      runs.map((r) => r.status),
      runs.map((r) => r.dueAt),
      runs.map((r) => r.instanceId),
      runs.map((r) => r.startedAt),
      runs.map((r) => r.finishedAt),
      runs.map((r) => r.leaseUntil),
      now,
      runs.map((r) => r.message),
    ],
  );
  return rows.map(toRun).sort((a, b) => Number(a.id) - Number(b.id));
}

async function oldestRunning(c: Queryable, jobId: string, exceptRunId: string): Promise<string[]> {
  const { rows } = await c.query<{ id: number }>(
    "SELECT id FROM runs WHERE job_id = $1 AND status = 'running' AND id <> $2 ORDER BY started_at, id LIMIT 1",
    [jobId, exceptRunId],
  );
  return rows.map((r) => String(r.id));
}

/** Applies each run's stats delta; rows are folded per job first so one statement serves the batch. */
async function bumpStats(c: Queryable, runs: readonly RunRecord[], now: number): Promise<void> {
  const folded = new Map<string, { runs: number; success: number; error: number; missed: number; last: RunRecord; started: RunRecord | null; finished: RunRecord | null; errored: RunRecord | null; succeeded: RunRecord | null }>();
  for (const run of runs) {
    const delta = statsDelta(run.status as RunStatus);
    if (!delta) continue;
    const f = folded.get(run.jobId) ?? { runs: 0, success: 0, error: 0, missed: 0, last: run, started: null, finished: null, errored: null, succeeded: null };
    f.runs += delta.runs;
    f.success += delta.success;
    f.error += delta.error;
    f.missed += delta.missed;
    f.last = run;
    if (run.status === 'running') f.started = run;
    if (delta.runs) f.finished = run;
    if (delta.error) f.errored = run;
    if (delta.success) f.succeeded = run;
    folded.set(run.jobId, f);
  }
  if (!folded.size) return;
  const rows = [...folded.entries()];
  const col = <T>(pick: (f: (typeof rows)[number][1]) => T): T[] => rows.map(([, f]) => pick(f));
  await c.query(
    `INSERT INTO job_stats AS s (job_id, total_runs, total_success, total_error, total_missed, last_event, last_scheduled_at, last_started_at,
                                 last_finished_at, last_duration_ms, last_error, last_success_at)
     SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[],
                          $10::float8[], $11::text[], $12::bigint[])
     ON CONFLICT (job_id) DO UPDATE SET
       total_runs = s.total_runs + EXCLUDED.total_runs,
       total_success = s.total_success + EXCLUDED.total_success,
       total_error = s.total_error + EXCLUDED.total_error,
       total_missed = s.total_missed + EXCLUDED.total_missed,
       last_event = EXCLUDED.last_event,
       last_scheduled_at = coalesce(EXCLUDED.last_scheduled_at, s.last_scheduled_at),
       last_started_at = coalesce(EXCLUDED.last_started_at, s.last_started_at),
       last_finished_at = coalesce(EXCLUDED.last_finished_at, s.last_finished_at),
       last_duration_ms = CASE WHEN EXCLUDED.last_finished_at IS NULL THEN s.last_duration_ms ELSE EXCLUDED.last_duration_ms END,
       last_error = CASE WHEN EXCLUDED.total_error > 0 THEN EXCLUDED.last_error ELSE s.last_error END,
       last_success_at = coalesce(EXCLUDED.last_success_at, s.last_success_at)`,
    [
      rows.map(([id]) => id),
      col((f) => f.runs),
      col((f) => f.success),
      col((f) => f.error),
      col((f) => f.missed),
      col((f) => statsDelta(f.last.status as RunStatus)!.event),
      col((f) => f.started?.scheduledAt.getTime() ?? null),
      col((f) => f.started?.startedAt?.getTime() ?? null),
      col((f) => (f.finished ? f.finished.finishedAt?.getTime() ?? now : null)),
      col((f) => f.finished?.durationMs ?? null),
      col((f) => f.errored?.error ?? null),
      col((f) => (f.succeeded ? f.succeeded.finishedAt?.getTime() ?? now : null)),
    ],
  );
}

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; run ids are split over several, well below that. */
const MAX_PAYLOAD = 7000;

export function notificationPayloads(notification: StoreNotification): string[] {
  const whole = JSON.stringify(notification);
  if (notification.type !== 'runs' || whole.length < MAX_PAYLOAD) return [whole];
  const payloads: string[] = [];
  let ids: string[] = [];
  let size = JSON.stringify({ ...notification, runIds: [] }).length;
  for (const id of notification.runIds) {
    if (ids.length && size + id.length + 3 > MAX_PAYLOAD) {
      payloads.push(JSON.stringify({ ...notification, runIds: ids }));
      ids = [];
      size = JSON.stringify({ ...notification, runIds: [] }).length;
    }
    ids.push(id);
    size += id.length + 3;
  }
  payloads.push(JSON.stringify({ ...notification, runIds: ids }));
  return payloads;
}
