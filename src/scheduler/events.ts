import { EventEmitter } from 'node:events';
import type { BaseLogger as Logger } from 'pino';
import type { RunRecord, RunSummary } from './types.js';

/** Event names a job's history and the WebSocket report (APScheduler's four plus Kairos' own). */
export type JobEventName =
  | 'submitted'
  | 'success'
  | 'error'
  | 'missed'
  | 'timeout'
  | 'abandoned'
  | 'skipped'
  | 'cancelled'
  | 'coalesced'
  | 'queued';

export interface JobEvent {
  readonly jobId: string;
  readonly runId: string;
  readonly event: JobEventName;
  readonly recordedAt: Date;
  readonly scheduledAt: Date;
  readonly durationMs: number | null;
  readonly message: string | null;
}

export type JobsChange = { readonly kind: 'added' | 'changed' | 'removed' | 'paused' | 'resumed'; readonly jobIds: readonly string[] };

/** The typed event map; names are namespaced so listeners can tell scheduler events from others. */
export interface SchedulerEventMap {
  'job:event': [JobEvent];
  'jobs:changed': [JobsChange];
  'scheduler:state': [{ readonly state: 'running' | 'paused' | 'stopped' }];
  'scheduler:error': [{ readonly error: Error; readonly during: string }];
}

/**
 * An emitter whose listeners cannot break the dispatcher: a listener that
 * throws is logged and the remaining listeners still run.
 */
export class SchedulerEvents {
  private readonly emitter = new EventEmitter();

  constructor(private readonly logger: Logger) {
    this.emitter.setMaxListeners(0);
  }

  on<K extends keyof SchedulerEventMap>(name: K, listener: (...args: SchedulerEventMap[K]) => void): () => void {
    const safe = (...args: SchedulerEventMap[K]): void => {
      try {
        listener(...args);
      } catch (error) {
        this.logger.error({ err: error, event: name }, 'scheduler event listener threw');
      }
    };
    this.emitter.on(name, safe as (...args: unknown[]) => void);
    return () => this.emitter.off(name, safe as (...args: unknown[]) => void);
  }

  emit<K extends keyof SchedulerEventMap>(name: K, ...args: SchedulerEventMap[K]): void {
    this.emitter.emit(name, ...args);
  }
}

/** The event a ledger row stands for right now. */
export function eventOfRun(run: Pick<RunRecord, 'status'>): JobEventName {
  switch (run.status) {
    case 'running':
      return 'submitted';
    case 'pending':
      return 'queued';
    default:
      return run.status;
  }
}

/** A job's history in the original's shape: per run a `submitted` event then its outcome, newest last. */
export function historyOfRuns(runsNewestFirst: readonly RunSummary[], limit: number): JobEvent[] {
  const events: JobEvent[] = [];
  for (const run of [...runsNewestFirst].reverse()) {
    const base = { jobId: run.jobId, runId: run.id, scheduledAt: run.scheduledAt };
    if (run.startedAt) {
      events.push({ ...base, event: 'submitted', recordedAt: run.startedAt, durationMs: null, message: null });
    }
    if (run.status !== 'running') {
      events.push({
        ...base,
        event: eventOfRun(run),
        recordedAt: run.finishedAt ?? run.submittedAt,
        durationMs: run.durationMs,
        message: run.error ?? run.message,
      });
    }
  }
  return events.slice(-limit);
}
