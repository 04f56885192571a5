import { describe, expect, it } from 'vitest';
import { normalizeTriggerSpec, parseTrigger, previewFireTimes, type TriggerSpec } from '../../src/scheduler/triggers/index.js';

const at = (iso: string) => new Date(iso);

describe('nextFireTime follows APScheduler get_next_fire_time(previous, now)', () => {
  const cron = parseTrigger({ trigger: 'cron', second: '*/10' }, { createdAt: at('2024-01-01T00:00:00Z') });

  it('searches from previous + 1 µs when now is later (a late run does not skip the schedule)', () => {
    expect(cron.nextFireTime(at('2024-01-01T00:00:10Z'), at('2024-01-01T00:05:00Z'))?.toISOString()).toBe('2024-01-01T00:00:20.000Z');
  });

  it('searches from now when the clock is behind the previous fire', () => {
    expect(cron.nextFireTime(at('2024-01-01T00:00:30Z'), at('2024-01-01T00:00:01Z'))?.toISOString()).toBe('2024-01-01T00:00:10.000Z');
  });

  it('rounds a fractional start up to the next whole second', () => {
    expect(cron.nextFireTime(null, at('2024-01-01T00:00:09.001Z'))?.toISOString()).toBe('2024-01-01T00:00:10.000Z');
  });

  it('reports jitter but never applies it', () => {
    const jittered = parseTrigger({ trigger: 'cron', second: '*/10', jitter: 5 }, { createdAt: at('2024-01-01T00:00:00Z') });
    expect(jittered.jitterSeconds).toBe(5);
    expect(cron.jitterSeconds).toBeNull();
    expect(jittered.nextFireTime(null, at('2024-01-01T00:00:01Z'))?.toISOString()).toBe('2024-01-01T00:00:10.000Z');
  });

  it('an interval without start_date is phased on the creation time, so restarts keep its rhythm', () => {
    const interval = parseTrigger({ trigger: 'interval', minutes: 5 }, { createdAt: at('2024-01-01T00:00:07Z') });
    expect(interval.nextFireTime(null, at('2024-01-01T01:01:00Z'))?.toISOString()).toBe('2024-01-01T01:05:07.000Z');
  });

  it('a date trigger fires once, even when its date is past', () => {
    const date = parseTrigger({ trigger: 'date', run_date: '2020-01-01T00:00:00Z' }, { createdAt: at('2024-01-01T00:00:00Z') });
    expect(date.nextFireTime(null, at('2024-01-01T00:00:00Z'))?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(date.nextFireTime(at('2020-01-01T00:00:00Z'), at('2024-01-01T00:00:00Z'))).toBeNull();
  });

  it('a cron that can never match again ends', () => {
    expect(previewFireTimes({ trigger: 'cron', year: 2020, month: 1 }, at('2024-01-01T00:00:00Z'), 3)).toEqual([]);
    expect(previewFireTimes({ trigger: 'cron', month: 2, day: 30 }, at('2024-01-01T00:00:00Z'), 1)).toEqual([]);
  });
});

describe('normalizeTriggerSpec', () => {
  it.each<[TriggerSpec, TriggerSpec]>([
    [{ trigger: 'cron', second: 5 }, { trigger: 'cron', second: '5' }],
    [{ trigger: 'cron', day_of_week: 'MON-Fri', hour: '1, 2' }, { trigger: 'cron', day_of_week: 'mon-fri', hour: '1,2', timezone: 'UTC' }],
    [{ trigger: 'cron', cron: '30 9 * * 1-5' }, { trigger: 'cron', minute: 30, hour: 9, day: '*', month: '*', day_of_week: 'mon-fri' }],
    [{ trigger: 'interval', every: { minutes: 5 } }, { trigger: 'interval', seconds: 300, timezone: 'UTC' }],
    [{ trigger: 'interval', weeks: 1 }, { trigger: 'interval', days: 7, jitter: 0 }],
    [{ trigger: 'date', run_date: new Date('2099-01-01T00:00:00Z') }, { trigger: 'date', run_date: '2099-01-01 00:00:00Z' }],
    [{ trigger: 'cron', hour: 3, start_date: '2024-1-2' }, { trigger: 'cron', hour: '3', start_date: '2024-01-02T00:00:00' }],
  ])('%j and %j normalise to the same JSON', (a, b) => {
    expect(JSON.stringify(normalizeTriggerSpec(a))).toBe(JSON.stringify(normalizeTriggerSpec(b)));
  });

  it.each<[TriggerSpec, TriggerSpec]>([
    [{ trigger: 'cron', second: 5 }, { trigger: 'cron', second: 6 }],
    [{ trigger: 'cron', second: 5 }, { trigger: 'cron', second: 5, timezone: 'Asia/Taipei' }],
    [{ trigger: 'cron', hour: 3 }, { trigger: 'cron', hour: 3, minute: '*' }],
    [{ trigger: 'date', run_date: '2099-01-01 00:00:00' }, { trigger: 'date', run_date: '2099-01-01T00:00:00Z' }],
    [{ trigger: 'interval', minutes: 5 }, { trigger: 'interval', minutes: 5, start_date: '2024-01-01' }],
  ])('%j and %j stay different', (a, b) => {
    expect(JSON.stringify(normalizeTriggerSpec(a))).not.toBe(JSON.stringify(normalizeTriggerSpec(b)));
  });

  it('reads back to the same trigger and describe()', () => {
    const specs: TriggerSpec[] = [
      { trigger: 'cron', cron: '0 0 * * */2', timezone: 'Europe/Berlin', jitter: 3 },
      { trigger: 'cron', day: '3rd wed,last sun', month: 'feb-apr', start_date: '2024-01-01T00:00:00+08:00' },
      { trigger: 'interval', hours: 1, seconds: 1.5, start_date: '2024-01-01 12:00:00', timezone: 'Asia/Taipei' },
      { trigger: 'date', run_date: '2024-12-24T18:30:00+05:30' },
    ];
    const ctx = { createdAt: at('2024-06-01T00:00:00Z') };
    for (const spec of specs) {
      const normal = normalizeTriggerSpec(spec);
      expect(normalizeTriggerSpec(normal)).toEqual(normal);
      expect(parseTrigger(normal, ctx).describe()).toBe(parseTrigger(spec, ctx).describe());
      expect(previewFireTimes(normal, ctx.createdAt, 5)).toEqual(previewFireTimes(spec, ctx.createdAt, 5));
      expect(parseTrigger(normal, ctx).jitterSeconds).toBe(parseTrigger(spec, ctx).jitterSeconds);
    }
  });
});
