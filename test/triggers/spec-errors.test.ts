import { describe, expect, it } from 'vitest';
import { parseTrigger, TriggerSpecError, type TriggerSpec } from '../../src/scheduler/triggers/index.js';

const ctx = { createdAt: new Date('2024-01-15T10:00:00Z') };

function issuesOf(spec: unknown): { field: string; message: string }[] {
  try {
    parseTrigger(spec as TriggerSpec, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(TriggerSpecError);
    return [...(error as TriggerSpecError).issues];
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be rejected`);
}

function fieldsOf(spec: unknown): string[] {
  return issuesOf(spec).map((i) => i.field);
}

describe('trigger spec validation', () => {
  it.each([
    [{ trigger: 'crontab' }, 'trigger', /one of cron, interval, date/],
    [{ trigger: 'cron', secnd: 5 }, 'secnd', /not an option of a cron trigger/],
    [{ trigger: 'cron', second: '*/0' }, 'second', /step must be higher than 0/],
    [{ trigger: 'cron', second: '*/60' }, 'second', /higher than the range/],
    [{ trigger: 'cron', minute: '60' }, 'minute', /higher than the maximum value \(59\)/],
    [{ trigger: 'cron', hour: '5-3' }, 'hour', /first value of a range/],
    [{ trigger: 'cron', day: '0' }, 'day', /lower than the minimum value \(1\)/],
    [{ trigger: 'cron', day: '2nd fry' }, 'day', /unknown weekday name 'fry'/],
    [{ trigger: 'cron', day_of_week: 'mon-fri/2' }, 'day_of_week', /not a valid day_of_week expression/],
    [{ trigger: 'cron', day_of_week: 'funday' }, 'day_of_week', /unknown weekday name 'funday'/],
    [{ trigger: 'cron', month: 'janu' }, 'month', /unknown month name 'janu'/],
    [{ trigger: 'cron', week: '54' }, 'week', /maximum value \(53\)/],
    [{ trigger: 'cron', year: '1969' }, 'year', /minimum value \(1970\)/],
    [{ trigger: 'cron', hour: 'last' }, 'hour', /not a valid hour expression/],
    [{ trigger: 'cron', second: 1.5 }, 'second', /string or an integer/],
    [{ trigger: 'cron', second: 5, timezone: 'Mars/Olympus' }, 'timezone', /not a known IANA time zone/],
    [{ trigger: 'cron', second: 5, start_date: '2024-13-01' }, 'start_date', /not a valid calendar date-time/],
    [{ trigger: 'cron', second: 5, end_date: 'tomorrow' }, 'end_date', /is not a date/],
    [{ trigger: 'cron', second: 5, start_date: '2024-02-01', end_date: '2024-01-01' }, 'end_date', /before start_date/],
    [{ trigger: 'cron', second: 5, jitter: -1 }, 'jitter', /number of seconds >= 0/],
    [{ trigger: 'cron' }, '', /needs at least one of/],
    [{ trigger: 'cron', cron: '*/5 * * *' }, 'cron', /has 4 fields/],
    [{ trigger: 'cron', cron: '* * * * 8' }, 'cron', /outside 0-7/],
    [{ trigger: 'cron', cron: '61 * * * *' }, 'cron', /^minute: .*maximum value \(59\)/],
    [{ trigger: 'cron', cron: '* * * * *', minute: 5 }, 'cron', /cannot be combined with the field options minute/],
    [{ trigger: 'interval' }, '', /positive length/],
    [{ trigger: 'interval', minutes: -5 }, 'minutes', /number >= 0/],
    [{ trigger: 'interval', minutes: '5' }, 'minutes', /number >= 0, got "5"/],
    [{ trigger: 'interval', every: { minutes: 5 }, seconds: 3 }, 'every', /cannot be combined with seconds/],
    [{ trigger: 'interval', every: { minuts: 5 } }, 'every.minuts', /not an interval unit/],
    [{ trigger: 'interval', every: 5 }, 'every', /must be an object/],
    [{ trigger: 'date', run_date: 12345 }, 'run_date', /must be a date string/],
    [{ trigger: 'date', run_date: '2024-01-01', second: 5 }, 'second', /not an option of a date trigger/],
    [{ trigger: 'date', run_date: new Date(Number.NaN) }, 'run_date', /invalid Date/],
  ])('%j is rejected naming %s', (spec, field, message) => {
    const issues = issuesOf(spec);
    const issue = issues.find((i) => i.field === field);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
  });

  it('lists every problem of a spec at once, each prefixed with its field in the message', () => {
    const spec = { trigger: 'cron', second: '*/0', hour: '25', timezone: 'Nowhere/City', colour: 'blue', jitter: 'lots' };
    expect(fieldsOf(spec).sort()).toEqual(['colour', 'hour', 'jitter', 'second', 'timezone']);
    try {
      parseTrigger(spec, ctx);
    } catch (error) {
      const message = (error as Error).message;
      for (const field of ['colour:', 'hour:', 'jitter:', 'second:', 'timezone:']) expect(message).toContain(field);
    }
  });

  it('rejects a spec that is not an object', () => {
    expect(fieldsOf(null)).toEqual(['']);
    expect(fieldsOf('cron')).toEqual(['']);
  });

  it('accepts every documented form', () => {
    const accepted: TriggerSpec[] = [
      { trigger: 'cron', second: '*/10' },
      { trigger: 'cron', cron: '*/5 * * * *', timezone: 'Asia/Taipei', jitter: 5 },
      { trigger: 'cron', day: 'last fri', hour: 3, start_date: new Date('2024-01-01T00:00:00Z'), end_date: '2025-01-01' },
      { trigger: 'interval', every: { minutes: 5 } },
      { trigger: 'interval', hours: 1, start_date: '2024-01-01T00:00:00+08:00' },
      { trigger: 'date', run_date: '2099-01-01T00:00:00Z' },
      { trigger: 'date' },
    ];
    for (const spec of accepted) expect(() => parseTrigger(spec, ctx)).not.toThrow();
  });
});
