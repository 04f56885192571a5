import type { z } from 'zod';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { JobJson } from './schema/scheduler.js';
import { jobJson } from './serialize.js';

export interface JobListCache {
  /** Every job as the API shows it, read again only after something changed. */
  get(): Promise<readonly z.output<typeof JobJson>[]>;
  close(): void;
}

/**
 * The job list (each job with its stats and last 50 events) costs one read of
 * every job's recent runs: dashboards polling it and WebSocket clients
 * connecting in a burst would each pay it. It is read once per change instead:
 * any job or run event (this instance's or, relayed, another's) invalidates
 * it, a read that an event overtook is not kept, and readers arriving while a
 * read is under way share it. `maxAgeMs` bounds staleness from changes no
 * event reports (run retention pruning old history).
 */
export function createJobListCache(scheduler: Scheduler, maxAgeMs = 2_000): JobListCache {
  let version = 0;
  let entry: { version: number; readAt: number; jobs: Promise<readonly z.output<typeof JobJson>[]> } | null = null;
  const bump = (): void => void version++;
  const unsubscribe = [scheduler.events.on('job:event', bump), scheduler.events.on('jobs:changed', bump)];
  return {
    get() {
      const now = Date.now();
      if (entry && entry.version === version && now - entry.readAt < maxAgeMs) return entry.jobs;
      const jobs = scheduler.listJobs().then((views) => views.map(jobJson));
      const read = { version, readAt: now, jobs };
      entry = read;
      jobs.catch(() => {
        if (entry === read) entry = null;
      });
      return jobs;
    },
    close() {
      for (const off of unsubscribe) off();
    },
  };
}
