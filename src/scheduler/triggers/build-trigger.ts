import { CronTrigger } from './cron-trigger.js';
import { zoneDisplay } from './date-input.js';
import { DateTrigger } from './date-trigger.js';
import { IntervalTrigger } from './interval-trigger.js';
import type { ParsedSpec } from './spec-parse.js';
import type { Trigger, TriggerContext } from './trigger.js';

/** Builds the trigger of a validated spec; `ctx.createdAt` stands in for APScheduler's "now" at creation. */
export function buildTrigger(parsed: ParsedSpec, ctx: TriggerContext): Trigger {
  const createdAt = ctx.createdAt.getTime();
  switch (parsed.kind) {
    case 'cron':
      return new CronTrigger({
        fields: parsed.fields,
        zone: parsed.zone,
        startDate: parsed.startDate?.instant ?? null,
        endDate: parsed.endDate?.instant ?? null,
        jitterSeconds: parsed.jitterSeconds,
      });
    case 'interval':
      return new IntervalTrigger({
        intervalMs: parsed.intervalMs,
        startDate: parsed.startDate?.instant ?? createdAt + parsed.intervalMs,
        endDate: parsed.endDate?.instant ?? null,
        jitterSeconds: parsed.jitterSeconds,
      });
    case 'date':
      return new DateTrigger(
        parsed.runDate ?? { instant: createdAt, display: zoneDisplay(parsed.zone), canonical: '' },
      );
  }
}
