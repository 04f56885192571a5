import { daysInMonth, isoWeek, weekdayMonday0, type WallFields } from './civil-time.js';

/**
 * APScheduler 3's cron fields, most significant first. `real` fields are
 * datetime attributes; `week` and `day_of_week` are derived from the date and
 * are satisfied by stepping the day (APScheduler's `REAL = False`).
 */
export const CRON_FIELD_NAMES = ['year', 'month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'] as const;
export type CronFieldName = (typeof CRON_FIELD_NAMES)[number];

export const FIELD_MIN: Readonly<Record<CronFieldName, number>> = {
  year: 1970, month: 1, day: 1, week: 1, day_of_week: 0, hour: 0, minute: 0, second: 0,
};
export const FIELD_MAX: Readonly<Record<CronFieldName, number>> = {
  year: 9999, month: 12, day: 31, week: 53, day_of_week: 6, hour: 23, minute: 59, second: 59,
};
/** What an unset field less significant than every set field becomes (APScheduler's DEFAULT_VALUES). */
export const FIELD_DEFAULT: Readonly<Record<CronFieldName, string>> = {
  year: '*', month: '1', day: '1', week: '*', day_of_week: '*', hour: '0', minute: '0', second: '0',
};

export const REAL_FIELD = [true, true, true, false, false, true, true, true] as const;

export const FIELD_INDEX = {
  year: 0, month: 1, day: 2, week: 3, day_of_week: 4, hour: 5, minute: 6, second: 7,
} as const satisfies Record<CronFieldName, number>;

export function fieldValue(index: number, w: WallFields): number {
  switch (index) {
    case 0: return w.year;
    case 1: return w.month;
    case 2: return w.day;
    case 3: return isoWeek(w.year, w.month, w.day);
    case 4: return weekdayMonday0(w.year, w.month, w.day);
    case 5: return w.hour;
    case 6: return w.minute;
    default: return w.second;
  }
}

export function fieldMin(index: number): number {
  return FIELD_MIN[CRON_FIELD_NAMES[index] ?? 'second'];
}

export function fieldMax(index: number, w: WallFields): number {
  return index === 2 ? daysInMonth(w.year, w.month) : FIELD_MAX[CRON_FIELD_NAMES[index] ?? 'second'];
}

/** Writes a real field's value (index 0-2, 5-7) into a wall time. */
export function setRealField(index: number, w: WallFields, value: number): void {
  switch (index) {
    case 0: w.year = value; break;
    case 1: w.month = value; break;
    case 2: w.day = value; break;
    case 5: w.hour = value; break;
    case 6: w.minute = value; break;
    default: w.second = value;
  }
}
