import type { Trigger } from './trigger.js';

export interface IntervalTriggerOptions {
  readonly intervalMs: number;
  /** The first fire; APScheduler defaults it to the job's creation time plus the interval. */
  readonly startDate: number;
  readonly endDate: number | null;
  readonly jitterSeconds: number | null;
}

/** APScheduler 3.9's IntervalTrigger: counts elapsed time, so DST never moves it. */
export class IntervalTrigger implements Trigger {
  readonly kind = 'interval';
  readonly jitterSeconds: number | null;

  constructor(private readonly options: IntervalTriggerOptions) {
    this.jitterSeconds = options.jitterSeconds;
  }

  nextFireTime(previous: Date | null, now: Date): Date | null {
    const { intervalMs, startDate, endDate } = this.options;
    let next: number;
    if (previous) next = previous.getTime() + intervalMs;
    else if (startDate > now.getTime()) next = startDate;
    else next = startDate + intervalMs * Math.ceil((now.getTime() - startDate) / intervalMs);
    return endDate === null || next <= endDate ? new Date(next) : null;
  }

  describe(): string {
    return `interval[${formatTimedelta(this.options.intervalMs)}]`;
  }
}

/** Python's `str(timedelta)`: `0:00:30`, `1 day, 2:03:04`, `0:00:01.500000`. */
export function formatTimedelta(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const clock = `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  const fraction = millis ? `.${String(Math.round(millis * 1000)).padStart(6, '0')}` : '';
  return `${days ? `${days} day${days === 1 ? '' : 's'}, ` : ''}${clock}${fraction}`;
}
