import { daysInMonth, weekdayMonday0, type WallFields } from './civil-time.js';
import { FIELD_INDEX, FIELD_MAX, FIELD_MIN, fieldMax, fieldMin, fieldValue, type CronFieldName } from './cron-fields.js';

/** One comma-separated part of a cron field, as APScheduler 3's expression classes. */
export type CronExpression =
  | { readonly kind: 'all'; readonly step: number | null }
  | {
      readonly kind: 'range';
      readonly first: number;
      readonly last: number | null;
      readonly step: number | null;
      /** Names printed by `describe()` for month/weekday name ranges. */
      readonly names: readonly string[] | null;
    }
  | { readonly kind: 'weekday-position'; readonly position: number; readonly weekday: number }
  | { readonly kind: 'last-day' };

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const POSITIONS = ['1st', '2nd', '3rd', '4th', '5th', 'last'] as const;

const ALL_RE = /^\*(?:\/(\d+))?$/;
const RANGE_RE = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/;
const NAME_RANGE_RE = /^([a-z]+)(?:-([a-z]+))?$/i;
const POSITION_RE = /^(1st|2nd|3rd|4th|5th|last) +([a-z]+)$/i;
const LAST_RE = /^last$/i;

export type CompileResult = { readonly ok: true; readonly expressions: CronExpression[] } | { readonly ok: false; readonly message: string };

/**
 * Compiles a field value like APScheduler's `BaseField.compile_expressions`,
 * with one deliberate difference: every part must match completely (APScheduler
 * silently ignores trailing text after a name, e.g. the `/2` of `mon-fri/2`).
 */
export function compileField(field: CronFieldName, raw: string): CompileResult {
  const expressions: CronExpression[] = [];
  for (const part of raw.trim().split(/ *, */)) {
    const compiled = compileExpression(field, part);
    if (typeof compiled === 'string') return { ok: false, message: compiled };
    expressions.push(compiled);
  }
  return { ok: true, expressions };
}

function compileExpression(field: CronFieldName, expr: string): CronExpression | string {
  const invalid = (why: string) => `invalid expression '${expr}': ${why}`;
  let m = ALL_RE.exec(expr);
  if (m) {
    const step = m[1] === undefined ? null : Number(m[1]);
    if (step === 0) return invalid('the step must be higher than 0');
    const span = FIELD_MAX[field] - FIELD_MIN[field];
    if (step !== null && step > span) return invalid(`the step (${step}) is higher than the range of the field (${span})`);
    return { kind: 'all', step };
  }
  m = RANGE_RE.exec(expr);
  if (m) return checkedRange(field, expr, Number(m[1]), m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? null : Number(m[3]), null);
  if (field === 'day') {
    m = POSITION_RE.exec(expr);
    if (m) {
      const weekday = WEEKDAYS.indexOf((m[2] ?? '').toLowerCase() as (typeof WEEKDAYS)[number]);
      if (weekday < 0) return invalid(`unknown weekday name '${m[2]}' (use mon, tue, wed, thu, fri, sat or sun)`);
      return { kind: 'weekday-position', position: POSITIONS.indexOf((m[1] ?? '').toLowerCase() as (typeof POSITIONS)[number]), weekday };
    }
    if (LAST_RE.test(expr)) return { kind: 'last-day' };
  }
  const names = field === 'month' ? MONTHS : field === 'day_of_week' ? WEEKDAYS : null;
  m = names ? NAME_RANGE_RE.exec(expr) : null;
  if (names && m) {
    const offset = field === 'month' ? 1 : 0;
    const first = names.indexOf((m[1] ?? '').toLowerCase() as never);
    const last = m[2] === undefined ? -1 : names.indexOf(m[2].toLowerCase() as never);
    const unknown = first < 0 ? m[1] : m[2] !== undefined && last < 0 ? m[2] : null;
    if (unknown) return invalid(`unknown ${field === 'month' ? 'month' : 'weekday'} name '${unknown}' (use ${names.join(', ')})`);
    return checkedRange(field, expr, first + offset, last < 0 ? undefined : last + offset, null, names);
  }
  return invalid(`not a valid ${field} expression (${EXPECTED[field]})`);
}

const NUMERIC_FORMS = "*, */n, a, a-b, a-b/n, a/n or a comma-separated list of those";
const EXPECTED: Readonly<Record<CronFieldName, string>> = {
  year: `${NUMERIC_FORMS}, years 1970-9999`,
  month: `${NUMERIC_FORMS}, 1-12, or names jan-dec`,
  day: `${NUMERIC_FORMS}, 1-31, 'last', or '1st'..'5th'/'last' followed by a weekday name`,
  week: `${NUMERIC_FORMS}, ISO weeks 1-53`,
  day_of_week: `${NUMERIC_FORMS}, 0-6 with 0 = Monday, or names mon-sun`,
  hour: `${NUMERIC_FORMS}, 0-23`,
  minute: `${NUMERIC_FORMS}, 0-59`,
  second: `${NUMERIC_FORMS}, 0-59`,
};

function checkedRange(
  field: CronFieldName,
  expr: string,
  first: number,
  lastGiven: number | undefined,
  step: number | null,
  names: readonly string[] | null,
): CronExpression | string {
  const invalid = (why: string) => `invalid expression '${expr}': ${why}`;
  if (step === 0) return invalid('the step must be higher than 0');
  const last = lastGiven === undefined && step === null ? first : (lastGiven ?? null);
  if (last !== null && first > last) return invalid('the first value of a range must not be higher than the last');
  const min = FIELD_MIN[field];
  const max = FIELD_MAX[field];
  if (first < min) return invalid(`${first} is lower than the minimum value (${min})`);
  if (last !== null && last > max) return invalid(`${last} is higher than the maximum value (${max})`);
  const span = (last || max) - first;
  if (step !== null && step > span) return invalid(`the step (${step}) is higher than the range of the expression (${span})`);
  return { kind: 'range', first, last, step, names };
}

/** The smallest value >= the field's current value that the expression allows, or null (APScheduler's `get_next_value`). */
export function expressionNextValue(expr: CronExpression, index: number, w: WallFields): number | null {
  switch (expr.kind) {
    case 'all': {
      const min = fieldMin(index);
      const start = Math.max(fieldValue(index, w), min);
      const next = expr.step ? start + ((expr.step - ((start - min) % expr.step)) % expr.step) : start;
      return next <= fieldMax(index, w) ? next : null;
    }
    case 'range': {
      const min = Math.max(fieldMin(index), expr.first);
      const max = expr.last === null ? fieldMax(index, w) : Math.min(fieldMax(index, w), expr.last);
      let next = Math.max(min, fieldValue(index, w));
      if (expr.step) next += (expr.step - ((next - min) % expr.step)) % expr.step;
      return next <= max ? next : null;
    }
    case 'weekday-position': {
      const firstWeekday = weekdayMonday0(w.year, w.month, 1);
      const lastDay = daysInMonth(w.year, w.month);
      let firstHit = expr.weekday - firstWeekday + 1;
      if (firstHit <= 0) firstHit += 7;
      const target = expr.position < 5 ? firstHit + expr.position * 7 : firstHit + Math.floor((lastDay - firstHit) / 7) * 7;
      return target <= lastDay && target >= w.day ? target : null;
    }
    case 'last-day':
      return daysInMonth(w.year, w.month);
  }
}

/** APScheduler's `str()` of an expression. */
export function expressionToString(expr: CronExpression): string {
  switch (expr.kind) {
    case 'all':
      return expr.step ? `*/${expr.step}` : '*';
    case 'range': {
      if (expr.names) {
        const offset = expr.names === MONTHS ? 1 : 0;
        const first = expr.names[expr.first - offset] ?? '';
        return expr.last !== null && expr.last !== expr.first ? `${first}-${expr.names[expr.last - offset] ?? ''}` : first;
      }
      const range = expr.last !== null && expr.last !== expr.first ? `${expr.first}-${expr.last}` : String(expr.first);
      return expr.step ? `${range}/${expr.step}` : range;
    }
    case 'weekday-position':
      return `${POSITIONS[expr.position] ?? ''} ${WEEKDAYS[expr.weekday] ?? ''}`;
    case 'last-day':
      return 'last';
  }
}

/** Whether the field's expressions allow every hour 0-23 (the fall-back policy's "hour matches every hour"). */
export function coversEveryHour(expressions: readonly CronExpression[]): boolean {
  const probe: WallFields = { year: 2001, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (let hour = 0; hour < 24; hour++) {
    probe.hour = hour;
    if (!expressions.some((e) => expressionNextValue(e, FIELD_INDEX.hour, probe) === hour)) return false;
  }
  return true;
}
