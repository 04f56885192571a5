import { describe, expect, it } from 'vitest';
import { previewFireTimes } from '../../src/scheduler/triggers/index.js';

/**
 * Around every 2024 transition of four DST zones, compares hour-"*" schedules
 * with a brute-force reference built from Intl directly: every instant whose
 * local wall time matches fires (both passes of an overlap; a gap wall time's
 * instant is also a matching real wall time for these patterns), in order,
 * with no repeats: SPEC 4's "nothing is lost, nothing repeats".
 */
const TRANSITIONS: ReadonlyArray<readonly [string, string]> = [
  ['America/New_York', '2024-03-10T07:00:00Z'],
  ['America/New_York', '2024-11-03T06:00:00Z'],
  ['Europe/London', '2024-03-31T01:00:00Z'],
  ['Europe/London', '2024-10-27T01:00:00Z'],
  ['Europe/Berlin', '2024-03-31T01:00:00Z'],
  ['Europe/Berlin', '2024-10-27T01:00:00Z'],
  ['Australia/Sydney', '2024-04-06T16:00:00Z'],
  ['Australia/Sydney', '2024-10-05T16:00:00Z'],
];

const PATTERNS = [
  { spec: { minute: '*/15' }, step: 60_000, matches: (_m: number, minute: number, second: number) => minute % 15 === 0 && second === 0 },
  { spec: { minute: 7 }, step: 60_000, matches: (_m: number, minute: number, second: number) => minute === 7 && second === 0 },
  { spec: { second: '*/20' }, step: 10_000, matches: (_m: number, _minute: number, second: number) => second % 20 === 0 },
];

function wallMinuteSecond(zone: string): (instant: number) => [number, number] {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', minute: 'numeric', second: 'numeric' });
  return (instant) => {
    const parts = format.formatToParts(instant);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return [get('minute'), get('second')];
  };
}

describe.each(TRANSITIONS)('%s around %s', (zone, transition) => {
  const center = Date.parse(transition);
  const from = center - 2 * 3_600_000;
  const to = center + 2 * 3_600_000;
  const wall = wallMinuteSecond(zone);

  it.each(PATTERNS.map((p) => [JSON.stringify(p.spec), p] as const))('%s fires at every matching instant', (_name, pattern) => {
    const expected: string[] = [];
    for (let t = from; t <= to; t += pattern.step) {
      const [minute, second] = wall(t);
      if (pattern.matches(0, minute, second)) expected.push(new Date(t).toISOString());
    }
    const actual = previewFireTimes({ trigger: 'cron', ...pattern.spec, timezone: zone }, new Date(from), expected.length + 1)
      .map((d) => d.toISOString())
      .filter((iso) => Date.parse(iso) <= to);
    expect(actual).toEqual(expected);
  });
});
