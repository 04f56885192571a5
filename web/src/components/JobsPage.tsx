import { useMemo, useState } from 'preact/hooks';
import { post } from '../api.js';
import { fmtAgo, fmtDuration, fmtRelative, fmtTime, triggerInWords } from '../format.js';
import { href, useNow } from '../hooks.js';
import { useLive } from '../live.js';
import type { Job, ReloadDiff } from '../types.js';
import { JobActions, type ActionOutcome } from './JobActions.js';
import { Badge, Section } from './ui.js';

type SortKey = 'next' | 'id' | 'type' | 'last' | 'rate';
type StateFilter = 'all' | 'active' | 'paused' | 'failing';

const successRate = (job: Job): number | null => (job.stats.total_runs ? job.stats.total_success / job.stats.total_runs : null);
const failing = (job: Job): boolean => ['error', 'timeout', 'abandoned', 'missed'].includes(job.stats.last_event ?? '');

const SORTS: Record<SortKey, { label: string; compare: (a: Job, b: Job) => number }> = {
  next: { label: 'Next run', compare: (a, b) => (Date.parse(a.next_run_time ?? '') || Infinity) - (Date.parse(b.next_run_time ?? '') || Infinity) },
  id: { label: 'Job', compare: (a, b) => a.id.localeCompare(b.id) },
  type: { label: 'Type', compare: (a, b) => a.func_ref.localeCompare(b.func_ref) },
  last: { label: 'Last result', compare: (a, b) => (a.stats.last_event ?? '').localeCompare(b.stats.last_event ?? '') },
  rate: { label: 'Success rate', compare: (a, b) => (successRate(a) ?? 2) - (successRate(b) ?? 2) },
};

const FILTERS: Record<StateFilter, (job: Job) => boolean> = {
  all: () => true,
  active: (job) => !job.paused,
  paused: (job) => job.paused,
  failing,
};

export function JobsPage() {
  const { jobs, status } = useLive();
  const now = useNow();
  const [text, setText] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'next', desc: false });
  const [outcome, setOutcome] = useState<ActionOutcome>();
  const zone = status?.timezone ?? 'UTC';

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const list = jobs.filter((j) => FILTERS[state](j) && (!needle || `${j.id} ${j.func_ref} ${j.trigger}`.toLowerCase().includes(needle)));
    const compare = SORTS[sort.key].compare;
    return list.sort((a, b) => (sort.desc ? -compare(a, b) : compare(a, b)));
  }, [jobs, text, state, sort]);

  return (
    <>
      <Section title="Jobs" actions={<ReloadButton onOutcome={setOutcome} />}>
        <div class="filters">
          <label>
            Filter <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="id, type or trigger" />
          </label>
          <label>
            Show
            <select value={state} onChange={(e) => setState(e.currentTarget.value as StateFilter)}>
              <option value="all">all jobs</option>
              <option value="active">active</option>
              <option value="paused">paused</option>
              <option value="failing">failing</option>
            </select>
          </label>
          <span class="muted small" aria-live="polite">
            {shown.length} of {jobs.length}
          </span>
        </div>
        <p class="status-line" role="status">
          {outcome && (
            <span class={outcome.ok ? 'ok-text' : 'bad-text'}>
              {outcome.text}
              {outcome.jobId && (
                <>
                  {' '}
                  <a href={href('jobs', outcome.jobId)}>see its runs</a>
                </>
              )}
            </span>
          )}
        </p>
        <div class="table-wrap">
          <table class="jobs" aria-label="Jobs">
            <thead>
              <tr>
                <SortHeader sortKey="id" sort={sort} setSort={setSort} />
                <SortHeader sortKey="type" sort={sort} setSort={setSort} />
                <th scope="col">Trigger</th>
                <SortHeader sortKey="next" sort={sort} setSort={setSort} />
                <SortHeader sortKey="last" sort={sort} setSort={setSort} />
                <SortHeader sortKey="rate" sort={sort} setSort={setSort} />
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((job) => (
                <tr key={job.id} data-job={job.id}>
                  <td data-label="Job">
                    <a href={href('jobs', job.id)}>{job.id}</a>
                  </td>
                  <td data-label="Type">
                    <code>{job.func_ref}</code>
                  </td>
                  <td data-label="Trigger">
                    {triggerInWords(job.trigger_spec, zone)}
                    <div class="muted small">
                      <code>{job.trigger}</code>
                    </div>
                  </td>
                  <td data-label="Next run" class="next-run">
                    {job.next_run_time ? fmtRelative(job.next_run_time, now) : '—'}
                    <div class="muted small">{fmtTime(job.next_run_time, zone)}</div>
                  </td>
                  <td data-label="Last result" class="last-result">
                    <Badge value={job.stats.last_event} />
                    <div class="muted small" title={job.stats.last_error ?? undefined}>
                      {job.stats.last_finished_at ? `${fmtDuration(job.stats.last_duration_ms)}, ${fmtAgo(job.stats.last_finished_at, now)}` : ''}
                    </div>
                  </td>
                  <td data-label="Success rate" class="num runs-cell">
                    {successRate(job) === null ? '—' : `${Math.round(successRate(job)! * 100)}%`}
                    <div class="muted small">{job.stats.total_runs} runs</div>
                  </td>
                  <td data-label="State" class="state-cell">
                    <Badge value={job.paused ? 'paused' : 'active'} />
                  </td>
                  <td data-label="Actions">
                    <JobActions job={job} onOutcome={setOutcome} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <RecentEvents />
    </>
  );
}

function SortHeader({ sortKey, sort, setSort }: { sortKey: SortKey; sort: { key: SortKey; desc: boolean }; setSort: (s: { key: SortKey; desc: boolean }) => void }) {
  const active = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class="sort" onClick={() => setSort({ key: sortKey, desc: active ? !sort.desc : false })}>
        {SORTS[sortKey].label}
        <span aria-hidden="true">{active ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}

function ReloadButton({ onOutcome }: { onOutcome: (o: ActionOutcome) => void }) {
  const { refresh } = useLive();
  const [diff, setDiff] = useState<ReloadDiff>();
  const reload = async (): Promise<void> => {
    try {
      const answer = await post<ReloadDiff>('/scheduler/reload');
      setDiff(answer);
      onOutcome({ ok: true, text: `Reloaded jobs.yaml: ${answer.added.length} added, ${answer.changed.length} changed, ${answer.removed.length} removed` });
    } catch (error) {
      setDiff(undefined);
      onOutcome({ ok: false, text: `Reload refused: ${error instanceof Error ? error.message : String(error)}` });
    }
    refresh();
  };
  return (
    <>
      <button type="button" onClick={() => void reload()}>
        Reload jobs.yaml
      </button>
      {diff && (
        <dl class="diff" aria-label="Reload result">
          {(['added', 'changed', 'removed'] as const).map((k) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{diff[k].length ? diff[k].join(', ') : 'none'}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}

function RecentEvents() {
  const { events, status } = useLive();
  return (
    <Section title="Live events">
      {events.length === 0 ? (
        <p class="muted">Events appear here as jobs run.</p>
      ) : (
        <ul class="events" aria-live="off">
          {events.slice(0, 15).map((e, i) => (
            <li key={`${e.run_id}-${e.event}-${i}`}>
              <span class="muted small">{fmtTime(e.recorded_at, status?.timezone ?? 'UTC', false)}</span> <Badge value={e.event} /> <a href={href('jobs', e.job_id)}>{e.job_id}</a>
              {e.duration_ms !== null && <span class="muted small"> {fmtDuration(e.duration_ms)}</span>}
              {e.message && <span class="muted small event-message"> {e.message}</span>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
