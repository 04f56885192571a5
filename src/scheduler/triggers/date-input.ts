import { wallFieldsToMs, daysInMonth } from './civil-time.js';
import { zoneAbbreviation } from './zone-abbreviation.js';
import { localToInstant, type Zone } from './zone.js';

/** How a date was written, which decides how `describe()` prints it (APScheduler keeps the datetime's own tzinfo). */
export interface DateDisplay {
  offsetAt(instant: number): number;
  abbreviationAt(instant: number): string;
}

export interface ZonedInstant {
  readonly instant: number;
  readonly display: DateDisplay;
  /** A canonical spelling that reads back to the same instant and display (for `normalizeTriggerSpec`). */
  readonly canonical: string;
}

export type DateParse = { readonly ok: true; readonly value: ZonedInstant } | { readonly ok: false; readonly message: string };

const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)?)?$/;

const UTC_DISPLAY: DateDisplay = { offsetAt: () => 0, abbreviationAt: () => 'UTC' };

export function zoneDisplay(zone: Zone): DateDisplay {
  return {
    offsetAt: (instant) => zone.offsetAt(instant),
    abbreviationAt: (instant) => zoneAbbreviation(zone.name, instant, zone.offsetAt(instant)),
  };
}

/** Python's `%Z` of a pytz FixedOffset is empty. */
function fixedDisplay(offsetMs: number): DateDisplay {
  return { offsetAt: () => offsetMs, abbreviationAt: () => '' };
}

/**
 * Reads a start/end/run date like APScheduler's `convert_to_datetime`: a Date
 * (an instant, printed in UTC), or `YYYY-MM-DD[( |T)HH:MM:SS[.ffffff][Z|+HH:MM]]`
 * where a string without offset is local time in the trigger's zone.
 * Unlike APScheduler, a fraction is read as a decimal fraction of a second
 * (APScheduler reads `.5` as 5 microseconds).
 */
export function parseDateInput(value: unknown, zone: Zone): DateParse {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, message: 'is an invalid Date' };
    return { ok: true, value: { instant: value.getTime(), display: UTC_DISPLAY, canonical: `${canonicalWall(value.getTime())}Z` } };
  }
  if (typeof value !== 'string') {
    return { ok: false, message: `must be a date string like "2024-01-31 09:30:00" or "2024-01-31T09:30:00Z", got ${describeType(value)}` };
  }
  const m = DATE_RE.exec(value.trim());
  if (!m) {
    return { ok: false, message: `"${value}" is not a date; write YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS, optionally with a fraction and Z or +HH:MM` };
  }
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `"${value}" is not a valid calendar date-time` };
  }
  const fractionMs = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  const wall = wallFieldsToMs({ year, month, day, hour, minute, second }) + fractionMs;
  const suffix = m[8];
  const text = canonicalWall(wall);
  if (suffix === undefined) {
    return { ok: true, value: { instant: localToInstant(zone, wall), display: zoneDisplay(zone), canonical: text } };
  }
  if (suffix === 'Z') return { ok: true, value: { instant: wall, display: UTC_DISPLAY, canonical: `${text}Z` } };
  const sign = suffix.startsWith('-') ? -1 : 1;
  const offsetMs = sign * (Number(suffix.slice(1, 3)) * 60 + Number(suffix.slice(4, 6))) * 60_000;
  return { ok: true, value: { instant: wall - offsetMs, display: fixedDisplay(offsetMs), canonical: `${text}${suffix}` } };
}

function canonicalWall(wallMs: number): string {
  const iso = new Date(wallMs).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
