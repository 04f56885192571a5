import { describe, expect, it } from 'vitest';
import { parseTrigger, previewFireTimes, type TriggerSpec } from '../../src/scheduler/triggers/index.js';

/**
 * SPEC 4's DST policy, with hand-derived expectations (APScheduler 3.9 is wrong
 * here, so these are not oracle vectors). 2024 transitions used:
 * - America/New_York: Mar 10 02:00 EST -> 03:00 EDT (07:00Z); Nov 3 02:00 EDT -> 01:00 EST (06:00Z)
 * - Europe/London:    Mar 31 01:00 GMT -> 02:00 BST (01:00Z)
 * - Europe/Berlin:    Oct 27 03:00 CEST -> 02:00 CET (01:00Z)
 * - Australia/Sydney: Oct 6 02:00 AEST -> 03:00 AEDT (Oct 5 16:00Z); Apr 7 03:00 AEDT -> 02:00 AEST (Apr 6 16:00Z)
 */
function preview(spec: TriggerSpec, from: string, count: number): string[] {
  return previewFireTimes(spec, new Date(from), count).map((d) => d.toISOString().replace('.000Z', 'Z'));
}

const NY = 'America/New_York';

describe('spring-forward gap: nonexistent wall times fire with the offset before the gap', () => {
  it('a daily 02:30 fires at 03:30 EDT on the change day, then at 02:30 EDT', () => {
    // 02:30 EST = 07:30Z (= 03:30 EDT); Mar 11 02:30 EDT = 06:30Z.
    expect(preview({ trigger: 'cron', hour: 2, minute: 30, timezone: NY }, '2024-03-09T12:00:00Z', 2)).toEqual([
      '2024-03-10T07:30:00Z',
      '2024-03-11T06:30:00Z',
    ]);
  });

  it('half-hourly walls 02:00/02:30 map onto 03:00/03:30 EDT and fire once each', () => {
    // Walls 01:00, 01:30 EST; 02:00, 02:30 (gap, read as EST = 07:00Z, 07:30Z); 03:00, 03:30 EDT are
    // the same instants, so nothing repeats; 04:00 EDT = 08:00Z.
    expect(preview({ trigger: 'cron', minute: '*/30', timezone: NY }, '2024-03-10T06:00:00Z', 6)).toEqual([
      '2024-03-10T06:00:00Z',
      '2024-03-10T06:30:00Z',
      '2024-03-10T07:00:00Z',
      '2024-03-10T07:30:00Z',
      '2024-03-10T08:00:00Z',
      '2024-03-10T08:30:00Z',
    ]);
  });

  it('every 20 minutes across the gap loses nothing', () => {
    // From 01:50 EST: 02:00/02:20/02:40 walls read as EST -> 07:00Z/07:20Z/07:40Z; 03:00-03:40 EDT coincide; 04:00 EDT = 08:00Z.
    expect(preview({ trigger: 'cron', minute: '*/20', timezone: NY }, '2024-03-10T06:50:00Z', 4)).toEqual([
      '2024-03-10T07:00:00Z',
      '2024-03-10T07:20:00Z',
      '2024-03-10T07:40:00Z',
      '2024-03-10T08:00:00Z',
    ]);
  });

  it('London: hourly :30 fires at 01:30Z for the missing 01:30 GMT, not twice', () => {
    // 00:30 GMT = 00:30Z; 01:30 (gap) read as GMT = 01:30Z = 02:30 BST, which is also a matching wall; 03:30 BST = 02:30Z.
    expect(preview({ trigger: 'cron', minute: 30, timezone: 'Europe/London' }, '2024-03-31T00:00:00Z', 3)).toEqual([
      '2024-03-31T00:30:00Z',
      '2024-03-31T01:30:00Z',
      '2024-03-31T02:30:00Z',
    ]);
  });

  it('Sydney (southern spring, October): a daily 02:30 fires at 03:30 AEDT on the change day', () => {
    // Oct 6 02:30 read as AEST (+10) = Oct 5 16:30Z; Oct 7 02:30 AEDT (+11) = Oct 6 15:30Z.
    expect(preview({ trigger: 'cron', hour: 2, minute: 30, timezone: 'Australia/Sydney' }, '2024-10-05T00:00:00Z', 2)).toEqual([
      '2024-10-05T16:30:00Z',
      '2024-10-06T15:30:00Z',
    ]);
  });

  it('a cron search stepping across the change keeps real times after it', () => {
    // Monthly on the 15th at 00:00: Mar 15 00:00 EDT = 04:00Z, Apr 15 = 04:00Z, May 15 = 04:00Z.
    expect(preview({ trigger: 'cron', day: 15, hour: 0, timezone: NY }, '2024-03-01T00:00:00Z', 3)).toEqual([
      '2024-03-15T04:00:00Z',
      '2024-04-15T04:00:00Z',
      '2024-05-15T04:00:00Z',
    ]);
  });
});

describe('fall-back overlap', () => {
  it('second "*/10" keeps its rhythm through both passes (APScheduler 3.9 is silent for an hour)', () => {
    // 01:59:40, 01:59:50 EDT = 05:59:40Z, 05:59:50Z; then 01:00:00 EST = 06:00:00Z, 06:00:10Z.
    expect(preview({ trigger: 'cron', second: '*/10', timezone: NY }, '2024-11-03T05:59:40Z', 4)).toEqual([
      '2024-11-03T05:59:40Z',
      '2024-11-03T05:59:50Z',
      '2024-11-03T06:00:00Z',
      '2024-11-03T06:00:10Z',
    ]);
  });

  it('an hourly job (hour "*") fires at 01:00 EDT and again at 01:00 EST', () => {
    // 01:00 EDT = 05:00Z, 01:00 EST = 06:00Z, 02:00 EST = 07:00Z, 03:00 EST = 08:00Z.
    expect(preview({ trigger: 'cron', minute: 0, timezone: NY }, '2024-11-03T04:30:00Z', 4)).toEqual([
      '2024-11-03T05:00:00Z',
      '2024-11-03T06:00:00Z',
      '2024-11-03T07:00:00Z',
      '2024-11-03T08:00:00Z',
    ]);
  });

  it('a daily 01:30 fires once, at its first (EDT) occurrence (APScheduler 3.9 picks the second)', () => {
    // Nov 3 01:30 EDT = 05:30Z; Nov 4 01:30 EST = 06:30Z.
    expect(preview({ trigger: 'cron', hour: 1, minute: 30, timezone: NY }, '2024-11-02T12:00:00Z', 2)).toEqual([
      '2024-11-03T05:30:00Z',
      '2024-11-04T06:30:00Z',
    ]);
  });

  it('an hour range that is not every hour fires each wall time once', () => {
    // hour 0-3 :15 -> 00:15 EDT 04:15Z, 01:15 EDT 05:15Z (not again at 06:15Z), 02:15 EST 07:15Z, 03:15 EST 08:15Z, next day 00:15 EST 05:15Z.
    expect(preview({ trigger: 'cron', hour: '0-3', minute: 15, timezone: NY }, '2024-11-03T04:00:00Z', 5)).toEqual([
      '2024-11-03T04:15:00Z',
      '2024-11-03T05:15:00Z',
      '2024-11-03T07:15:00Z',
      '2024-11-03T08:15:00Z',
      '2024-11-04T05:15:00Z',
    ]);
  });

  it('Berlin: half-hourly fires through both passes of 02:00-03:00 (APScheduler 3.9 skips to 01:30Z)', () => {
    // From 02:15 CEST (00:15Z): 02:30 CEST = 00:30Z, 02:00 CET = 01:00Z, 02:30 CET = 01:30Z, 03:00 CET = 02:00Z.
    expect(preview({ trigger: 'cron', minute: '*/30', timezone: 'Europe/Berlin' }, '2024-10-27T00:15:00Z', 4)).toEqual([
      '2024-10-27T00:30:00Z',
      '2024-10-27T01:00:00Z',
      '2024-10-27T01:30:00Z',
      '2024-10-27T02:00:00Z',
    ]);
  });

  it('Sydney (southern fall-back, April): hourly fires in both passes, a daily 02:30 once at AEDT', () => {
    // 02:00 AEDT = Apr 6 15:00Z, 02:00 AEST = 16:00Z, 03:00 AEST = 17:00Z.
    expect(preview({ trigger: 'cron', minute: 0, timezone: 'Australia/Sydney' }, '2024-04-06T14:30:00Z', 3)).toEqual([
      '2024-04-06T15:00:00Z',
      '2024-04-06T16:00:00Z',
      '2024-04-06T17:00:00Z',
    ]);
    // Apr 7 02:30 AEDT (+11) = Apr 6 15:30Z; Apr 8 02:30 AEST (+10) = Apr 7 16:30Z.
    expect(preview({ trigger: 'cron', hour: 2, minute: 30, timezone: 'Australia/Sydney' }, '2024-04-06T00:00:00Z', 2)).toEqual([
      '2024-04-06T15:30:00Z',
      '2024-04-07T16:30:00Z',
    ]);
  });
});

describe('local dates at transitions are read as APScheduler 3.9 reads them', () => {
  it('an ambiguous start_date is the second occurrence', () => {
    // 2024-11-03 01:30 read as EST = 06:30Z; the EDT 01:30 (05:30Z) and 06:00Z are before it.
    expect(
      preview({ trigger: 'cron', minute: '*/30', start_date: '2024-11-03 01:30:00', timezone: NY }, '2024-11-03T00:00:00Z', 2),
    ).toEqual(['2024-11-03T06:30:00Z', '2024-11-03T07:00:00Z']);
  });

  it('an interval start_date in the gap takes the offset before it, and intervals count elapsed time', () => {
    // 2024-03-10 02:30 read as EST = 07:30Z, then every 60 minutes of elapsed time.
    expect(
      preview({ trigger: 'interval', minutes: 60, start_date: '2024-03-10 02:30:00', timezone: NY }, '2024-03-10T00:00:00Z', 3),
    ).toEqual(['2024-03-10T07:30:00Z', '2024-03-10T08:30:00Z', '2024-03-10T09:30:00Z']);
    // 24 h of elapsed time across the change: 12:00 EST (17:00Z) becomes 13:00 EDT (17:00Z).
    expect(
      preview({ trigger: 'interval', hours: 24, start_date: '2024-03-09 12:00:00', timezone: NY }, '2024-03-09T00:00:00Z', 2),
    ).toEqual(['2024-03-09T17:00:00Z', '2024-03-10T17:00:00Z']);
  });

  it('an ambiguous run_date is the second occurrence; a run_date in the gap uses the offset before it', () => {
    const created = { createdAt: new Date('2024-01-01T00:00:00Z') };
    const ambiguous = parseTrigger({ trigger: 'date', run_date: '2024-11-03 01:30:00', timezone: NY }, created);
    expect(ambiguous.nextFireTime(null, created.createdAt)?.toISOString()).toBe('2024-11-03T06:30:00.000Z');
    expect(ambiguous.describe()).toBe('date[2024-11-03 01:30:00 EST]');
    const missing = parseTrigger({ trigger: 'date', run_date: '2024-03-10 02:30:00', timezone: NY }, created);
    expect(missing.nextFireTime(null, created.createdAt)?.toISOString()).toBe('2024-03-10T07:30:00.000Z');
    // Printed as the instant it is: 03:30 EDT.
    expect(missing.describe()).toBe('date[2024-03-10 03:30:00 EDT]');
  });
});
