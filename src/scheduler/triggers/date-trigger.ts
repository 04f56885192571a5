import { formatWall } from './civil-time.js';
import type { Trigger } from './trigger.js';
import type { ZonedInstant } from './date-input.js';

/** APScheduler 3.9's DateTrigger: fires once, at `run_date`, even when that is already past. */
export class DateTrigger implements Trigger {
  readonly kind = 'date';
  readonly jitterSeconds = null;

  constructor(private readonly runDate: ZonedInstant) {}

  nextFireTime(previous: Date | null): Date | null {
    return previous === null ? new Date(this.runDate.instant) : null;
  }

  describe(): string {
    const { instant, display } = this.runDate;
    return `date[${formatWall(instant + display.offsetAt(instant))} ${display.abbreviationAt(instant)}]`;
  }
}
