import type { RunStatus } from './types.js';

/** How a run entering `status` moves its job's counters; shared by every store so they agree. */
export interface StatsDelta {
  readonly runs: 0 | 1;
  readonly success: 0 | 1;
  readonly error: 0 | 1;
  readonly missed: 0 | 1;
  /** The event name recorded as `last_event` (`submitted` for a run that starts). */
  readonly event: string;
}

export function statsDelta(status: RunStatus): StatsDelta | null {
  switch (status) {
    case 'pending':
      return null;
    case 'running':
      return { runs: 0, success: 0, error: 0, missed: 0, event: 'submitted' };
    case 'success':
      return { runs: 1, success: 1, error: 0, missed: 0, event: 'success' };
    case 'error':
    case 'timeout':
    case 'abandoned':
      return { runs: 1, success: 0, error: 1, missed: 0, event: status };
    case 'cancelled':
      return { runs: 1, success: 0, error: 0, missed: 0, event: status };
    case 'missed':
      return { runs: 0, success: 0, error: 0, missed: 1, event: 'missed' };
    case 'coalesced':
    case 'skipped':
      return { runs: 0, success: 0, error: 0, missed: 0, event: status };
  }
}
