import { api, query } from './api.js';
import type { Job, Run, RunPage, RunStatus } from './types.js';

/** Run statuses grouped as an operator reads them. */
export const RUN_GROUPS: readonly { label: string; statuses: readonly RunStatus[] }[] = [
  { label: 'succeeded', statuses: ['success'] },
  { label: 'failed', statuses: ['error', 'timeout', 'abandoned'] },
  { label: 'missed or skipped', statuses: ['missed', 'skipped', 'coalesced', 'cancelled'] },
  { label: 'in flight', statuses: ['pending', 'running'] },
];

export const runsPath = (jobId: string, params: Parameters<typeof query>[0]): string => `/scheduler/jobs/${encodeURIComponent(jobId)}/runs${query(params)}`;

/**
 * Counts of runs per group since `since`, over the jobs that ever ran. The API
 * has no cluster-wide count, so each (job, group) asks for one run and reads
 * `total`: small answers, one request each. A manual copy's runs are not
 * counted once the copy is removed.
 */
export async function countRuns(jobs: readonly Job[], since: Date): Promise<number[]> {
  const ran = jobs.filter((job) => job.stats.total_runs > 0);
  const counts = await Promise.all(
    RUN_GROUPS.map(async (group) => {
      const totals = await Promise.all(ran.map((job) => api<RunPage>(runsPath(job.id, { status: group.statuses, from: since.toISOString(), limit: 1 })).then((page) => page.total)));
      return totals.reduce((a, b) => a + b, 0);
    }),
  );
  return counts;
}

/** The most recent runs that started, across jobs, newest first, for lateness. */
export async function recentStarts(jobs: readonly Job[], perJob: number, keep: number): Promise<Run[]> {
  const ran = jobs.filter((job) => job.stats.total_runs > 0);
  const pages = await Promise.all(ran.map((job) => api<RunPage>(runsPath(job.id, { limit: perJob }))));
  return pages
    .flatMap((page) => page.runs)
    .filter((run) => run.lateness_ms !== null)
    .sort((a, b) => Date.parse(b.scheduled_at) - Date.parse(a.scheduled_at))
    .slice(0, keep);
}

