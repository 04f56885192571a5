/**
 * Wall-clock ("civil") time arithmetic, free of any time zone. A wall time is
 * carried as the epoch milliseconds it would have in UTC, which makes ordering
 * and the fields of a wall time cheap and allocation-free to compute.
 */

export const SECOND_MS = 1000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A mutable wall-clock date-time, as APScheduler's naive `datetime` fields. */
export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallFieldsToMs(w: WallFields): number {
  return daysFromCivil(w.year, w.month, w.day) * DAY_MS + ((w.hour * 60 + w.minute) * 60 + w.second) * SECOND_MS;
}

export function wallMsToFields(ms: number, into: WallFields): WallFields {
  const days = Math.floor(ms / DAY_MS);
  const secondsOfDay = Math.floor((ms - days * DAY_MS) / SECOND_MS);
  civilFromDays(days, into);
  into.hour = Math.floor(secondsOfDay / 3600);
  into.minute = Math.floor((secondsOfDay % 3600) / 60);
  into.second = secondsOfDay % 60;
  return into;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), allocation-free. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number, into: WallFields): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  into.year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  into.month = month;
  into.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}

/** Python's `date.weekday()`: Monday = 0 ... Sunday = 6. */
export function weekdayMonday0(year: number, month: number, day: number): number {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return (((daysFromCivil(year, month, day) + 3) % 7) + 7) % 7;
}

/** Python's `date.isocalendar()[1]`: the ISO-8601 week number. */
export function isoWeek(year: number, month: number, day: number): number {
  const days = daysFromCivil(year, month, day);
  // The ISO week belongs to the year of its Thursday.
  const thursday = days + 3 - weekdayMonday0(year, month, day);
  let thursdayYear = year;
  if (thursday < daysFromCivil(year, 1, 1)) thursdayYear = year - 1;
  else if (thursday >= daysFromCivil(year + 1, 1, 1)) thursdayYear = year + 1;
  return Math.floor((thursday - daysFromCivil(thursdayYear, 1, 1)) / 7) + 1;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DD HH:MM:SS` of a wall time (APScheduler's `%Y-%m-%d %H:%M:%S`). */
export function formatWall(wallMs: number): string {
  const d = new Date(wallMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}
