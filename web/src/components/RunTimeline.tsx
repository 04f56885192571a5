import { fmtDuration, fmtTime } from '../format.js';
import type { Run } from '../types.js';

/**
 * The last runs, oldest to newest, one bar each: colour (and the pattern of
 * the failed ones) says the status, height the duration on a log scale, so a
 * slow run or a streak of failures stands out at a glance.
 */
export function RunTimeline({ runs, zone }: { runs: readonly Run[]; zone: string }) {
  if (!runs.length) return null;
  const ordered = [...runs].reverse();
  const longest = Math.max(1, ...ordered.map((r) => r.duration_ms ?? 0));
  const failed = ordered.filter((r) => ['error', 'timeout', 'abandoned'].includes(r.status)).length;
  return (
    <figure class="timeline">
      <div class="timeline-bars" role="img" aria-label={`Last ${ordered.length} runs, oldest first: ${failed} failed`}>
        {ordered.map((run) => {
          const share = run.duration_ms ? Math.log1p(run.duration_ms) / Math.log1p(longest) : 0;
          return (
            <span
              key={run.id}
              class={`bar status-${run.status}`}
              style={{ height: `${Math.round(20 + 80 * share)}%` }}
              title={`${run.status} · ${fmtTime(run.scheduled_at, zone)} · ${fmtDuration(run.duration_ms)}`}
            />
          );
        })}
      </div>
      <figcaption class="muted small">Last {ordered.length} runs, oldest left; bar height is the duration (log scale).</figcaption>
    </figure>
  );
}
