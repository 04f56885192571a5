import { buildTrigger } from './build-trigger.js';
import { canonicalSpec, parseSpec } from './spec-parse.js';
import type { Trigger, TriggerContext, TriggerSpec } from './trigger.js';

export { TriggerSpecError } from './trigger.js';
export type { Trigger, TriggerContext, TriggerSpec, TriggerSpecIssue } from './trigger.js';

/**
 * Validates a jobs.yaml trigger spec (APScheduler keyword style, the `cron:`
 * crontab string, interval's `every:` form) and builds its trigger.
 * @throws TriggerSpecError listing every problem, each with its field name.
 */
export function parseTrigger(spec: TriggerSpec, ctx: TriggerContext): Trigger {
  return buildTrigger(parseSpec(spec), ctx);
}

/**
 * The next `count` fire times of a job added at `from` and run on time:
 * APScheduler's `get_next_fire_time(None, from)`, then
 * `get_next_fire_time(previous, previous)`; fewer when the trigger ends.
 * Times are logical (jitter is not applied).
 */
export function previewFireTimes(spec: TriggerSpec, from: Date, count: number): Date[] {
  const trigger = parseTrigger(spec, { createdAt: from });
  return fireTimesFrom(trigger, count > 0 ? trigger.nextFireTime(null, from) : null, count);
}

/** `first` and the trigger's fire times after it, up to `count`: what a job run on time fires at. */
export function fireTimesFrom(trigger: Trigger, first: Date | null, count: number): Date[] {
  const times: Date[] = [];
  for (let next = first; next && times.length < count; next = trigger.nextFireTime(next, next)) times.push(next);
  return times;
}

/**
 * One spelling per meaning, for telling a changed definition from an unchanged
 * one: crontab strings become fields, `every` and units collapse to
 * days/hours/minutes/seconds, expressions print as APScheduler does, dates are
 * canonical, the default time zone is explicit. Reading it back gives the same
 * trigger and the same `describe()`.
 * @throws TriggerSpecError when the spec is invalid.
 */
export function normalizeTriggerSpec(spec: TriggerSpec): TriggerSpec {
  return canonicalSpec(parseSpec(spec));
}
