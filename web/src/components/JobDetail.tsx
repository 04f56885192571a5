import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { fmtDuration, fmtTime, triggerInWords } from '../format.js';
import { href, useLoad } from '../hooks.js';
import { useLive } from '../live.js';
import { runsPath } from '../run-summary.js';
import type { Job, Run, RunPage, RunStatus } from '../types.js';
import { JobActions, type ActionOutcome } from './JobActions.js';
import { RunTimeline } from './RunTimeline.js';
import { Badge, ErrorNote, Loading, Section } from './ui.js';

const PAGE_SIZE = 20;
const STATUSES: readonly RunStatus[] = ['success', 'error', 'timeout', 'missed', 'skipped', 'coalesced', 'abandoned', 'cancelled', 'running', 'pending'];

export function JobDetail({ jobId }: { jobId: string }) {
  const { jobs, events, status } = useLive();
  const zone = status?.timezone ?? 'UTC';
  const live = jobs.find((j) => j.id === jobId);
  // A finished manual copy is gone from the job list but its history is kept: 404 is not an error here.
  const fetched = useLoad(
    () => api<Job>(`/scheduler/jobs/${encodeURIComponent(jobId)}`).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
    jobId,
  );
  const job = live ?? fetched.data ?? undefined;
  const [outcome, setOutcome] = useState<ActionOutcome>();
  const lastEvent = events.find((e) => e.job_id === jobId);

  return (
    <div class="stack">
      <p>
        <a href={href('jobs')}>← All jobs</a>
      </p>
      <Section title={`Job ${jobId}`} id="job" actions={job && <JobActions job={job} onOutcome={setOutcome} />}>
        <p class="status-line" role="status">
          {outcome && <span class={outcome.ok ? 'ok-text' : 'bad-text'}>{outcome.text}</span>}
        </p>
        <ErrorNote error={fetched.error} />
        {job ? (
          <dl class="facts">
            <dt>Type</dt>
            <dd>
              <code>{job.func_ref}</code>
            </dd>
            <dt>Trigger</dt>
            <dd>
              {triggerInWords(job.trigger_spec, zone)} <code class="muted">{job.trigger}</code>
            </dd>
            <dt>State</dt>
            <dd>
              <Badge value={job.paused ? 'paused' : 'active'} />
            </dd>
            <dt>Next run</dt>
            <dd>{fmtTime(job.next_run_time, zone)}</dd>
            <dt>Kwargs</dt>
            <dd>
              <code class="wrap">{JSON.stringify(job.kwargs.kwargs)}</code>
            </dd>
          </dl>
        ) : fetched.data === null ? (
          <p class="muted">This job no longer exists (a finished manual copy, or removed); its run history is below.</p>
        ) : (
          <Loading what="job" />
        )}
      </Section>
      <div class="grid">
        <PreviewCard jobId={jobId} zone={zone} version={job?.next_run_time ?? ''} />
        <RunsCard jobId={jobId} zone={zone} lastEventAt={lastEvent?.recorded_at} />
      </div>
    </div>
  );
}

function PreviewCard({ jobId, zone, version }: { jobId: string; zone: string; version: string }) {
  const preview = useLoad(() => api<{ fire_times: string[] }>(`/scheduler/jobs/${encodeURIComponent(jobId)}/preview?count=10`), `${jobId}|${version}`);
  return (
    <Section title="Next 10 fire times" id="preview">
      <ErrorNote error={preview.error instanceof ApiError && preview.error.status === 404 ? undefined : preview.error} />
      {preview.data?.fire_times.length === 0 || (preview.error instanceof ApiError && preview.error.status === 404) ? (
        <p class="muted">No upcoming fire (paused until resumed, finished, or run by dependencies only).</p>
      ) : (
        <ol class="preview">{preview.data?.fire_times.map((t) => <li key={t}>{fmtTime(t, zone)}</li>)}</ol>
      )}
    </Section>
  );
}

function RunsCard({ jobId, zone, lastEventAt }: { jobId: string; zone: string; lastEventAt: string | undefined }) {
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [open, setOpen] = useState<string>();
  const page = useLoad(() => api<RunPage>(runsPath(jobId, { limit: PAGE_SIZE, offset, status: status || undefined })), `${jobId}|${offset}|${status}`);
  const timeline = useLoad(() => api<RunPage>(runsPath(jobId, { limit: 60 })), jobId);
  // New events for this job: fetch again in place (no flicker, the page stays where it is).
  useEffect(() => {
    if (!lastEventAt) return;
    page.reload();
    timeline.reload();
  }, [lastEventAt]);

  const total = page.data?.total ?? 0;
  return (
    <Section title="Runs" id="runs">
      {timeline.data && <RunTimeline runs={timeline.data.runs} zone={zone} />}
      <div class="filters">
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as RunStatus | '');
              setOffset(0);
            }}
          >
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <span class="muted small">{total} runs</span>
      </div>
      <ErrorNote error={page.error} />
      {!page.data ? (
        <Loading what="runs" />
      ) : (
        <div class="table-wrap">
          <table class="runs" aria-label={`Runs of ${jobId}`}>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Scheduled</th>
                <th scope="col">Started</th>
                <th scope="col" class="num">
                  Duration
                </th>
                <th scope="col">Result</th>
                <th scope="col">Log</th>
              </tr>
            </thead>
            <tbody>
              {page.data.runs.map((run) => (
                <RunRow key={run.id} run={run} zone={zone} open={open === run.id} toggle={() => setOpen(open === run.id ? undefined : run.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Run pages">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
          Newer
        </button>
        <span>
          {total ? offset + 1 : 0}–{Math.min(offset + PAGE_SIZE, total)} of {total}
        </span>
        <button type="button" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
          Older
        </button>
      </nav>
    </Section>
  );
}

function RunRow({ run, zone, open, toggle }: { run: Run; zone: string; open: boolean; toggle: () => void }) {
  return (
    <>
      <tr data-run={run.id}>
        <td data-label="Status">
          <Badge value={run.status} />
          {run.kind !== 'schedule' && <span class="muted small"> {run.kind}</span>}
          {run.attempt > 1 && <span class="muted small"> attempt {run.attempt}</span>}
        </td>
        <td data-label="Scheduled">{fmtTime(run.scheduled_at, zone)}</td>
        <td data-label="Started">
          {fmtTime(run.started_at, zone, false)}
          {run.lateness_ms !== null && <div class="muted small">+{fmtDuration(run.lateness_ms)}</div>}
        </td>
        <td data-label="Duration" class="num">
          {fmtDuration(run.duration_ms)}
        </td>
        <td data-label="Result" class={run.error ? 'bad-text wrap' : 'wrap'}>
          {run.error ?? run.message ?? ''}
        </td>
        <td data-label="Log">
          <button type="button" aria-expanded={open} onClick={toggle}>
            {open ? 'Hide' : 'Show'}
          </button>
        </td>
      </tr>
      {open && (
        <tr class="log-row">
          <td colSpan={6}>
            <RunLog runId={run.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function RunLog({ runId }: { runId: string }) {
  const run = useLoad(() => api<Run>(`/scheduler/runs/${encodeURIComponent(runId)}`), runId);
  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <Loading what="log" />;
  const lines = run.data.log_tail ?? [];
  return (
    <pre class="log" tabIndex={0} aria-label={`Log tail of run ${runId}`}>
      {lines.length ? lines.join('\n') : 'No log lines recorded for this run.'}
    </pre>
  );
}
