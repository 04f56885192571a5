import { WEEKDAYS } from './cron-expression.js';

export const CRONTAB_FIELDS = ['minute', 'hour', 'day', 'month', 'day_of_week'] as const;

export type CrontabSplit =
  | { readonly ok: true; readonly fields: Readonly<Record<(typeof CRONTAB_FIELDS)[number], string>> }
  | { readonly ok: false; readonly message: string };

/**
 * Splits a 5-field crontab string (minute hour day month day_of_week) like
 * APScheduler's `CronTrigger.from_crontab`, except that a numeric day of week
 * means what it means to crontab (0 and 7 = Sunday); APScheduler 3 passes it
 * through unchanged, so there 0 = Monday (agronholm/apscheduler#286, fixed in 4.0).
 * Numeric days are rewritten as day names, which both readings agree on.
 */
export function splitCrontab(expression: string): CrontabSplit {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    return { ok: false, message: `"${expression}" has ${parts.length} fields; a crontab string has 5: minute hour day month day_of_week` };
  }
  const dayOfWeek = crontabDayOfWeek(parts[4] ?? '');
  if (!dayOfWeek.ok) return dayOfWeek;
  const [minute, hour, day, month] = parts as [string, string, string, string];
  return { ok: true, fields: { minute, hour, day, month, day_of_week: dayOfWeek.value } };
}

const NUMERIC_RE = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/;

function crontabDayOfWeek(field: string): { ok: true; value: string } | { ok: false; message: string } {
  const translated: string[] = [];
  for (const part of field.split(',')) {
    const m = NUMERIC_RE.exec(part);
    if (!m || m[1] === '*') {
      // Names and a bare `*` mean the same in crontab and APScheduler; `*/n` counts from Sunday.
      translated.push(m && m[2] !== undefined ? daysToNames(stepDays(0, 7, Number(m[2]))) ?? part : part);
      continue;
    }
    const [first, last] = (m[1] ?? '').split('-').map(Number) as [number, number | undefined];
    const end = last ?? (m[2] === undefined ? first : 7);
    if (first > 7 || end > 7 || first > end) {
      return { ok: false, message: `day of week "${part}" is outside 0-7 (0 and 7 = Sunday) or has first > last` };
    }
    const names = daysToNames(stepDays(first, end, m[2] === undefined ? 1 : Number(m[2])));
    if (names === null) return { ok: false, message: `day of week "${part}" has a step of 0` };
    translated.push(names);
  }
  return { ok: true, value: translated.join(',') };
}

function stepDays(first: number, last: number, step: number): number[] {
  const days: number[] = [];
  if (step <= 0) return days;
  for (let d = first; d <= last; d += step) days.push(d);
  return days;
}

/** Crontab days (0-7, Sunday = 0 and 7) as APScheduler day-name ranges in Monday-first order. */
function daysToNames(crontabDays: readonly number[]): string | null {
  if (crontabDays.length === 0) return null;
  const mondayFirst = [...new Set(crontabDays.map((d) => (d + 6) % 7))].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < mondayFirst.length; ) {
    let j = i;
    while (j + 1 < mondayFirst.length && (mondayFirst[j + 1] ?? 0) === (mondayFirst[j] ?? 0) + 1) j++;
    const from = WEEKDAYS[mondayFirst[i] ?? 0];
    runs.push(j > i ? `${from}-${WEEKDAYS[mondayFirst[j] ?? 0]}` : `${from}`);
    i = j + 1;
  }
  return runs.join(',');
}
