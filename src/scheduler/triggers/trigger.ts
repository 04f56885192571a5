/**
 * The trigger contract. Semantics follow APScheduler 3.9's `BaseTrigger`:
 * `nextFireTime(previous, now)` is APScheduler's
 * `get_next_fire_time(previous_fire_time, now)` (previous is null for the first
 * fire), except around DST transitions where README's documented policy applies.
 * Returned times are the logical (unjittered) fire times; jitter is applied by
 * the engine through `jitterSeconds`.
 */
export interface Trigger {
  readonly kind: 'cron' | 'interval' | 'date';
  nextFireTime(previous: Date | null, now: Date): Date | null;
  /** APScheduler's `str(trigger)`: `cron[month='*', ..., second='*\/5']`, `interval[0:00:30]`, `date[2099-01-01 00:00:00 UTC]`. */
  describe(): string;
  /** Maximum jitter in seconds, or null. */
  readonly jitterSeconds: number | null;
}

/** The trigger part of a jobs.yaml entry: `{trigger: 'cron', second: '*\/10', timezone: ...}`. */
export type TriggerSpec = { readonly trigger: string } & Readonly<Record<string, unknown>>;

export interface TriggerSpecIssue {
  /** The offending key of the spec, e.g. "second" or "run_date" ("" for the spec as a whole). */
  readonly field: string;
  readonly message: string;
}

export class TriggerSpecError extends Error {
  constructor(readonly issues: readonly TriggerSpecIssue[]) {
    super(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
    this.name = 'TriggerSpecError';
  }
}

export interface TriggerContext {
  /**
   * When the job was first added. APScheduler's IntervalTrigger defaults its
   * start_date to (creation time + interval); persisting the creation time keeps
   * an interval job's phase across restarts.
   */
  readonly createdAt: Date;
}
