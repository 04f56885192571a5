/**
 * The fast `tw_time` formatter caches a zone's offset per UTC hour; it must
 * give exactly luxon's string for every instant, across DST, half- and
 * quarter-hour zones, historic offsets with seconds, and odd years.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { twTimeFormatter } from '../../src/warehouse/tw-time.js';

const luxon = (zone: string, instant: Date): string => DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

const ZONES = [
  'Asia/Taipei',
  'UTC',
  'America/New_York',
  'Europe/London',
  'Europe/Amsterdam', // +00:19:32 until 1937: an offset with seconds
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kathmandu', // +05:45
  'America/St_Johns', // -03:30 with DST
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Apia', // skipped 2011-12-30
];

/** A small deterministic generator, so a failure names an instant that reproduces. */
function* instants(seed: number, count: number, fromMs: number, toMs: number): Generator<Date> {
  let x = seed;
  for (let i = 0; i < count; i += 1) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield new Date(fromMs + Math.floor((x / 2_147_483_648) * (toMs - fromMs)));
  }
}

describe('twTimeFormatter', () => {
  it.each(ZONES)('matches luxon in %s for random instants from 1850 to 2100', (zone) => {
    const format = twTimeFormatter(zone);
    for (const instant of instants(zone.length, 5_000, Date.UTC(1850, 0, 1), Date.UTC(2100, 0, 1))) {
      expect(format(instant), instant.toISOString()).toBe(luxon(zone, instant));
    }
  });

  it.each(ZONES)('matches luxon in %s through 1930 and 2011, in every UTC hour', (zone) => {
    const format = twTimeFormatter(zone);
    for (const year of [1930, 2011]) {
      // A step under an hour, and prime, walks the cache forward through each transition hour at varying minutes, as a refill does.
      for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 37 * 60_000 + 1_009) {
        const instant = new Date(ms);
        const got = format(instant);
        const want = luxon(zone, instant);
        if (got !== want) expect(got, instant.toISOString()).toBe(want);
      }
    }
  });

  it.each(ZONES)('matches luxon in %s around every offset change of 1930, 1979, 1986 and 2011 (if any), in and out of order', (zone) => {
    const offsetAt = (ms: number): number => DateTime.fromMillis(ms, { zone }).offset;
    const probes: number[] = [];
    for (const year of [1930, 1979, 1986, 2011]) {
      for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 3_600_000) {
        if (offsetAt(ms) === offsetAt(ms + 3_600_000)) continue;
        // Bisect to the first millisecond of the new offset, then probe the edges of its UTC hour.
        let [lo, hi] = [ms, ms + 3_600_000];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (offsetAt(mid) === offsetAt(lo)) lo = mid;
          else hi = mid;
        }
        const hour = Math.floor(hi / 3_600_000) * 3_600_000;
        probes.push(hour, hi - 1_000, hi - 1, hi, hi + 1_000, hour + 3_599_999);
      }
    }
    for (const order of [probes, [...probes].reverse()]) {
      const format = twTimeFormatter(zone);
      for (const ms of order) expect(format(new Date(ms)), new Date(ms).toISOString()).toBe(luxon(zone, new Date(ms)));
    }
  });

  it('matches luxon for years outside 0000-9999 and for an invalid date', () => {
    const format = twTimeFormatter('Asia/Taipei');
    for (const instant of [new Date(Date.UTC(10_000, 0, 1)), new Date('0000-01-01T00:00:00Z'), new Date(-1e14), new Date(Number.NaN)]) {
      expect(format(instant)).toBe(luxon('Asia/Taipei', instant));
    }
  });

  it('refuses an unknown zone', () => {
    expect(() => twTimeFormatter('Mars/Olympus')).toThrow(/unknown display time zone/);
  });
});
