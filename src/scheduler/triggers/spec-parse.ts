import { compileField, expressionToString, type CronExpression } from './cron-expression.js';
import { CRON_FIELD_NAMES, FIELD_DEFAULT, type CronFieldName } from './cron-fields.js';
import { CRONTAB_FIELDS, splitCrontab } from './crontab.js';
import { describeType, parseDateInput, type ZonedInstant } from './date-input.js';
import { TriggerSpecError, type TriggerSpec, type TriggerSpecIssue } from './trigger.js';
import { UTC_ZONE, findZone, type Zone } from './zone.js';

const TRIGGER_KINDS = ['cron', 'interval', 'date'] as const;
type TriggerKind = (typeof TRIGGER_KINDS)[number];

const INTERVAL_UNITS = ['weeks', 'days', 'hours', 'minutes', 'seconds'] as const;
type IntervalUnit = (typeof INTERVAL_UNITS)[number];
const UNIT_MS: Readonly<Record<IntervalUnit, number>> = {
  weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000,
};

const ALLOWED_KEYS: Readonly<Record<TriggerKind, readonly string[]>> = {
  cron: ['trigger', ...CRON_FIELD_NAMES, 'cron', 'start_date', 'end_date', 'timezone', 'jitter'],
  interval: ['trigger', ...INTERVAL_UNITS, 'every', 'start_date', 'end_date', 'timezone', 'jitter'],
  date: ['trigger', 'run_date', 'timezone'],
};

export interface ParsedCronField {
  readonly expressions: readonly CronExpression[];
  readonly isDefault: boolean;
}

interface ParsedCommon {
  readonly timezone: string;
  readonly zone: Zone;
}

/** A validated trigger spec: everything needed to build the trigger or to print its canonical form. */
export type ParsedSpec =
  | (ParsedCommon & {
      readonly kind: 'cron';
      readonly fields: readonly ParsedCronField[];
      readonly startDate: ZonedInstant | null;
      readonly endDate: ZonedInstant | null;
      readonly jitterSeconds: number | null;
    })
  | (ParsedCommon & {
      readonly kind: 'interval';
      readonly intervalMs: number;
      readonly startDate: ZonedInstant | null;
      readonly endDate: ZonedInstant | null;
      readonly jitterSeconds: number | null;
    })
  | (ParsedCommon & { readonly kind: 'date'; readonly runDate: ZonedInstant | null });

/** Validates a whole spec; throws TriggerSpecError listing every problem found. */
export function parseSpec(spec: TriggerSpec): ParsedSpec {
  const issues: TriggerSpecIssue[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });
  const parsed = parseInto(spec, issue);
  if (issues.length > 0 || parsed === null) throw new TriggerSpecError(issues);
  return parsed;
}

type Report = (field: string, message: string) => void;

function parseInto(spec: TriggerSpec, issue: Report): ParsedSpec | null {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    issue('', `a trigger spec must be an object such as {"trigger": "cron", "second": "*/10"}, got ${describeType(spec)}`);
    return null;
  }
  const kind = spec.trigger;
  if (!TRIGGER_KINDS.includes(kind as TriggerKind)) {
    issue('trigger', `must be one of ${TRIGGER_KINDS.join(', ')}, got ${describeType(kind)}`);
    return null;
  }
  const allowed = ALLOWED_KEYS[kind as TriggerKind];
  for (const key of Object.keys(spec)) {
    if (!allowed.includes(key)) issue(key, `is not an option of a ${kind} trigger; allowed: ${allowed.filter((k) => k !== 'trigger').join(', ')}`);
  }
  const common = parseTimezone(spec.timezone, issue);
  switch (kind as TriggerKind) {
    case 'cron':
      return parseCron(spec, common, issue);
    case 'interval':
      return parseInterval(spec, common, issue);
    case 'date':
      return { kind: 'date', ...common, runDate: optionalDate(spec.run_date, 'run_date', common.zone, issue) };
  }
}

function parseTimezone(value: unknown, issue: Report): ParsedCommon {
  if (value === undefined || value === null) return { timezone: 'UTC', zone: UTC_ZONE };
  const zone = typeof value === 'string' && value.trim() !== '' ? findZone(value.trim()) : null;
  if (!zone) {
    issue('timezone', `${describeType(value)} is not a known IANA time zone; use a name such as "UTC", "Europe/Berlin" or "Asia/Taipei"`);
    return { timezone: 'UTC', zone: UTC_ZONE };
  }
  return { timezone: zone.name, zone };
}

function optionalDate(value: unknown, field: string, zone: Zone, issue: Report): ZonedInstant | null {
  if (value === undefined || value === null) return null;
  const result = parseDateInput(value, zone);
  if (result.ok) return result.value;
  issue(field, result.message);
  return null;
}

function parseJitter(value: unknown, issue: Report): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    issue('jitter', `must be a number of seconds >= 0, got ${describeType(value)}`);
    return null;
  }
  return value === 0 ? null : value;
}

function parseWindow(spec: TriggerSpec, zone: Zone, issue: Report) {
  const startDate = optionalDate(spec.start_date, 'start_date', zone, issue);
  const endDate = optionalDate(spec.end_date, 'end_date', zone, issue);
  if (startDate && endDate && endDate.instant < startDate.instant) {
    issue('end_date', `${endDate.canonical} is before start_date ${startDate.canonical}; the trigger would never fire`);
  }
  return { startDate, endDate, jitterSeconds: parseJitter(spec.jitter, issue) };
}

function parseCron(spec: TriggerSpec, common: ParsedCommon, issue: Report): ParsedSpec {
  const given = new Map<CronFieldName, CronExpression[]>();
  const fieldKeys = CRON_FIELD_NAMES.filter((name) => spec[name] !== undefined && spec[name] !== null);
  if (spec.cron !== undefined && spec.cron !== null) {
    if (fieldKeys.length > 0) issue('cron', `cannot be combined with the field options ${fieldKeys.join(', ')}; use one form or the other`);
    if (typeof spec.cron !== 'string') issue('cron', `must be a 5-field crontab string such as "*/5 * * * *", got ${describeType(spec.cron)}`);
    else {
      const split = splitCrontab(spec.cron);
      if (!split.ok) issue('cron', split.message);
      else {
        for (const name of CRONTAB_FIELDS) {
          const compiled = compileField(name, split.fields[name]);
          if (compiled.ok) given.set(name, compiled.expressions);
          else issue('cron', `${name}: ${compiled.message}`);
        }
      }
    }
  } else if (fieldKeys.length === 0) {
    issue('', `a cron trigger needs at least one of ${CRON_FIELD_NAMES.join(', ')} or a "cron" crontab string (for every second, say second: "*")`);
  }
  for (const name of fieldKeys) {
    const raw = spec[name];
    if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isInteger(raw))) {
      issue(name, `must be a cron expression string or an integer, got ${describeType(raw)}`);
      continue;
    }
    const compiled = compileField(name, String(raw));
    if (compiled.ok) given.set(name, compiled.expressions);
    else issue(name, compiled.message);
  }
  return { kind: 'cron', ...common, fields: withDefaults(given), ...parseWindow(spec, common.zone, issue) };
}

/** APScheduler's defaulting: fields less significant than every given field take their minimum, the others `*`. */
function withDefaults(given: ReadonlyMap<CronFieldName, CronExpression[]>): ParsedCronField[] {
  let remaining = given.size;
  let assignDefaults = false;
  return CRON_FIELD_NAMES.map((name) => {
    const expressions = given.get(name);
    if (expressions) {
      remaining -= 1;
      assignDefaults = remaining === 0;
      return { expressions, isDefault: false };
    }
    const compiled = compileField(name, assignDefaults ? FIELD_DEFAULT[name] : '*');
    return { expressions: compiled.ok ? compiled.expressions : [], isDefault: true };
  });
}

function parseInterval(spec: TriggerSpec, common: ParsedCommon, issue: Report): ParsedSpec {
  const unitKeys = INTERVAL_UNITS.filter((unit) => spec[unit] !== undefined && spec[unit] !== null);
  let source: Readonly<Record<string, unknown>> = spec;
  let prefix = '';
  if (spec.every !== undefined && spec.every !== null) {
    if (unitKeys.length > 0) issue('every', `cannot be combined with ${unitKeys.join(', ')}; use one form or the other`);
    if (typeof spec.every !== 'object' || Array.isArray(spec.every)) {
      issue('every', `must be an object such as {minutes: 5}, got ${describeType(spec.every)}`);
      source = {};
    } else {
      source = spec.every as Record<string, unknown>;
      prefix = 'every.';
      for (const key of Object.keys(source)) {
        if (!(INTERVAL_UNITS as readonly string[]).includes(key)) issue(`every.${key}`, `is not an interval unit; use ${INTERVAL_UNITS.join(', ')}`);
      }
    }
  }
  let intervalMs = 0;
  for (const unit of INTERVAL_UNITS) {
    const value = source[unit];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      issue(`${prefix}${unit}`, `must be a number >= 0, got ${describeType(value)}`);
      continue;
    }
    intervalMs += value * UNIT_MS[unit];
  }
  intervalMs = Math.round(intervalMs);
  if (intervalMs <= 0) {
    issue(prefix ? 'every' : '', `an interval trigger needs a positive length in ${INTERVAL_UNITS.join(', ')} (e.g. minutes: 5)`);
  }
  return { kind: 'interval', ...common, intervalMs, ...parseWindow(spec, common.zone, issue) };
}

/** The canonical JSON form of a parsed spec: same trigger, same describe(), one spelling. */
export function canonicalSpec(parsed: ParsedSpec): TriggerSpec {
  const out: Record<string, unknown> = { trigger: parsed.kind };
  switch (parsed.kind) {
    case 'cron':
      parsed.fields.forEach((field, i) => {
        if (!field.isDefault) out[CRON_FIELD_NAMES[i] ?? ''] = field.expressions.map(expressionToString).join(',');
      });
      break;
    case 'interval':
      Object.assign(out, splitInterval(parsed.intervalMs));
      break;
    case 'date':
      if (parsed.runDate) out.run_date = parsed.runDate.canonical;
  }
  if (parsed.kind !== 'date') {
    if (parsed.startDate) out.start_date = parsed.startDate.canonical;
    if (parsed.endDate) out.end_date = parsed.endDate.canonical;
  }
  out.timezone = parsed.timezone;
  if (parsed.kind !== 'date' && parsed.jitterSeconds !== null) out.jitter = parsed.jitterSeconds;
  return out as TriggerSpec;
}

function splitInterval(ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  let rest = ms;
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count) out[unit] = count;
    rest -= count * UNIT_MS[unit];
  }
  if (rest) out.seconds = rest / 1000;
  return out;
}
