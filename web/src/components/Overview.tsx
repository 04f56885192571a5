import { api, ApiError } from '../api.js';
import { fmtBytes, fmtDuration, fmtPercent, fmtRelative, fmtTime } from '../format.js';
import { href, useLoad, useNow } from '../hooks.js';
import { useLive } from '../live.js';
import { countRuns, recentStarts, RUN_GROUPS } from '../run-summary.js';
import type { NotifyChannel, SystemMetrics } from '../types.js';
import { Badge, ErrorNote, Loading, NumericHead, Section, Stat } from './ui.js';

const HOUR_MS = 3_600_000;

export function Overview() {
  return (
    <div class="grid">
      <SchedulerCard />
      <RunCountsCard />
      <LatenessCard />
      <SystemCard />
      <NotifyCard />
    </div>
  );
}

interface Instance {
  readonly instance_id: string;
}

function SchedulerCard() {
  const { status, jobs, connection } = useLive();
  const now = useNow();
  // GET /scheduler/instances may not exist on this version: a 404 means "this instance only".
  const instances = useLoad(
    () =>
      api<{ instances: Instance[] }>('/scheduler/instances').then(
        (answer) => answer.instances,
        (e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e)),
      ),
    'instances',
    30_000,
  );
  if (!status) return <Section title="Scheduler">{<Loading what="status" />}</Section>;
  const paused = jobs.filter((j) => j.paused).length;
  const cluster = instances.data;
  return (
    <Section title="Scheduler">
      <div class="stats">
        <Stat label="State" value={<Badge value={status.state === 'running' ? 'live' : status.state} />} hint={<span>updates: {connection}</span>} />
        <Stat label="Uptime" value={status.started_at ? fmtDuration(now - Date.parse(status.started_at)) : '—'} hint={`since ${fmtTime(status.started_at, status.timezone)}`} />
        <Stat label="Jobs" value={status.job_count} hint={`${paused} paused`} />
        <Stat label="Next run" value={fmtRelative(status.next_run_time, now)} hint={fmtTime(status.next_run_time, status.timezone)} />
        <Stat
          label="Instances"
          value={cluster ? cluster.length : 1}
          hint={
            <span title={status.instance_id}>
              this one: <code>{status.instance_id.slice(0, 8)}</code>
              {cluster === null ? ' (cluster view not available)' : ''}
            </span>
          }
        />
      </div>
      <p class="muted small">Times shown in {status.timezone}.</p>
    </Section>
  );
}

function RunCountsCard() {
  const { jobs } = useLive();
  const key = jobs.map((j) => j.id).join(',');
  const counts = useLoad(
    async () => {
      const now = Date.now();
      return Promise.all([countRuns(jobs, new Date(now - HOUR_MS)), countRuns(jobs, new Date(now - 24 * HOUR_MS))]);
    },
    key,
    30_000,
  );
  return (
    <Section title="Runs">
      <ErrorNote error={counts.error} />
      {!counts.data ? (
        <Loading what="run counts" />
      ) : (
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Last hour
              </th>
              <th scope="col" class="num">
                Last 24 h
              </th>
            </tr>
          </thead>
          <tbody>
            {RUN_GROUPS.map((group, i) => (
              <tr key={group.label}>
                <th scope="row">
                  {group.label} <span class="muted small">({group.statuses.join(', ')})</span>
                </th>
                <td class="num">{counts.data![0][i]}</td>
                <td class="num">{counts.data![1][i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function LatenessCard() {
  const { jobs, status } = useLive();
  const key = jobs.map((j) => j.id).join(',');
  const recent = useLoad(() => recentStarts(jobs, 10, 12), key, 15_000);
  const lateness = (recent.data ?? []).map((r) => r.lateness_ms!).sort((a, b) => a - b);
  const zone = status?.timezone ?? 'UTC';
  return (
    <Section title="Lateness of recent fires">
      <ErrorNote error={recent.error} />
      {!recent.data ? (
        <Loading what="recent runs" />
      ) : lateness.length === 0 ? (
        <p class="muted">No run has started yet.</p>
      ) : (
        <>
          <div class="stats">
            <Stat label="Median" value={fmtDuration(lateness[Math.floor(lateness.length / 2)]!)} />
            <Stat label="Worst" value={fmtDuration(lateness[lateness.length - 1]!)} />
          </div>
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Scheduled</th>
                <th scope="col" class="num">
                  Late by
                </th>
              </tr>
            </thead>
            <tbody>
              {recent.data.map((run) => (
                <tr key={run.id}>
                  <td>
                    <a href={href('jobs', run.job_id)}>{run.job_id}</a>
                  </td>
                  <td>{fmtTime(run.scheduled_at, zone, false)}</td>
                  <td class="num">{fmtDuration(run.lateness_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

function SystemCard() {
  const metrics = useLoad(() => api<SystemMetrics>('/system/metrics'), 'metrics', 5_000);
  const m = metrics.data;
  return (
    <Section title="System">
      <ErrorNote error={metrics.error} />
      {!m ? (
        <Loading what="metrics" />
      ) : (
        <div class="stats">
          <Stat label="Process CPU" value={`${m.process.cpu_percent.toFixed(1)}%`} hint="of one core" />
          <Stat label="RSS" value={fmtBytes(m.process.memory_bytes)} hint={`${m.process.memory_percent.toFixed(1)}% of memory`} />
          <Stat
            label="Event-loop delay"
            value={m.process.event_loop_delay_ms ? `${m.process.event_loop_delay_ms.p99.toFixed(1)} ms` : '—'}
            hint={m.process.event_loop_delay_ms ? `p99; p50 ${m.process.event_loop_delay_ms.p50.toFixed(1)} ms` : undefined}
          />
          <Stat label="System CPU" value={m.system.cpu_percent === null ? '—' : `${m.system.cpu_percent.toFixed(1)}%`} hint={`load ${m.system.load_average.map((l) => l.toFixed(2)).join(' ')}`} />
          <Stat label="System memory" value={fmtPercent(m.system.memory_percent / 100, 0)} hint={`${fmtBytes(m.system.memory_used)} of ${fmtBytes(m.system.memory_total)}`} />
          {m.cgroup.available ? (
            <Stat
              label={`Container (cgroup v${m.cgroup.version})`}
              value={m.cgroup.memory_max === null ? fmtBytes(m.cgroup.memory_current) : `${fmtBytes(m.cgroup.memory_current)} / ${fmtBytes(m.cgroup.memory_max)}`}
              hint={m.cgroup.cpu_quota && m.cgroup.cpu_period ? `CPU limit ${(m.cgroup.cpu_quota / m.cgroup.cpu_period).toFixed(2)} cores` : 'no CPU limit'}
            />
          ) : (
            <Stat label="Container" value="—" hint={m.cgroup.reason} />
          )}
        </div>
      )}
    </Section>
  );
}

function NotifyCard() {
  const status = useLoad(() => api<{ channels: NotifyChannel[] }>('/notify/status'), 'notify', 10_000);
  const channels = status.data?.channels;
  return (
    <Section title="Discord channels">
      <ErrorNote error={status.error} />
      {!channels ? (
        <Loading what="channels" />
      ) : channels.length === 0 ? (
        <p class="muted">No channel configured (set ETL_PROCESS_WEBHOOK and ETL_TOTAL_USD_VALUE_ALERT).</p>
      ) : (
        <table class="compact">
          <NumericHead first="Channel" columns={['Queued', 'Sent', 'Retried', 'Dropped', 'Failed', 'Pending']} />
          <tbody>
            {channels.map((c) => (
              <tr key={c.channel} class={c.dropped + c.failed > 0 ? 'row-warn' : undefined}>
                <th scope="row">{c.channel}</th>
                {[c.queued, c.sent, c.retried, c.dropped, c.failed, c.pending].map((n, i) => (
                  <td key={i} class="num">
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
