import { normalizeTriggerSpec, TriggerSpecError, type TriggerSpec } from './triggers/index.js';
import { DEFAULT_OPTIONS, DEFAULT_RETRY, type CatchUpPolicy, type JobDefinition, type JobOptions, type JobOwner, type OverlapPolicy, type RetryPolicy } from './types.js';

/**
 * Turns one job entry in APScheduler keyword style (as in jobs.yaml and the
 * API's create body) into a JobDefinition. Problems are collected per key so a
 * caller can report every one of them at once.
 */

export interface DefinitionIssue {
  /** The entry's key, e.g. `max_instances` or `kwargs`. */
  readonly key: string;
  readonly message: string;
}

export type DefinitionParse =
  | { readonly ok: true; readonly definition: JobDefinition }
  | { readonly ok: false; readonly issues: readonly DefinitionIssue[] };

const OPTION_KEYS = new Set([
  'id',
  'func',
  'name',
  'kwargs',
  'coalesce',
  'max_instances',
  'misfire_grace_time',
  'timeout',
  'retries',
  'depends_on',
  'enabled',
  'catch_up',
  'overlap',
  'alert_if_no_success_within',
  'replace_existing',
  'trigger',
]);

export const JOB_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

export function parseDefinition(entry: unknown, owner: JobOwner): DefinitionParse {
  const issues: DefinitionIssue[] = [];
  const issue = (key: string, message: string): void => void issues.push({ key, message });
  if (!isRecord(entry)) return { ok: false, issues: [{ key: '', message: 'expected a mapping with id, func and a trigger' }] };

  const id = entry['id'];
  if (typeof id !== 'string' || !JOB_ID_PATTERN.test(id)) issue('id', 'expected a string of letters, digits and _ . : - (at most 200)');
  else if (id.includes('__manual__')) issue('id', "must not contain '__manual__' (reserved for manual one-off copies)");
  const func = entry['func'];
  if (typeof func !== 'string' || func.trim() === '') issue('func', 'expected the name of a job type, e.g. DATA_account_summary_1_minute:run');
  const kwargs = entry['kwargs'] ?? {};
  if (!isRecord(kwargs)) issue('kwargs', 'expected a mapping');

  const issuesBefore = issues.length;
  const trigger = triggerSpecOf(entry, issue);
  const triggerInvalid = issues.length > issuesBefore;
  const options = optionsOf(entry, issue);
  if (trigger === null && !triggerInvalid && options.dependsOn.length === 0) issue('trigger', 'expected a trigger (cron, interval or date) or depends_on');

  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    definition: { id: id as string, func: normalizeFunc(func as string), trigger, kwargs: kwargs as Record<string, unknown>, options, owner },
  };
}

/** `name:run` and `name` name the same registered type; module paths keep their export name. */
export function normalizeFunc(func: string): string {
  const trimmed = func.trim();
  if (trimmed.startsWith('.') || trimmed.startsWith('/')) return trimmed;
  return trimmed.endsWith(':run') ? trimmed.slice(0, -':run'.length) : trimmed;
}

function triggerSpecOf(entry: Record<string, unknown>, issue: (key: string, message: string) => void): TriggerSpec | null {
  const fields = Object.fromEntries(Object.entries(entry).filter(([key]) => !OPTION_KEYS.has(key)));
  let kind = entry['trigger'];
  if (kind === undefined) {
    if ('cron' in fields) kind = 'cron';
    else if ('every' in fields) kind = 'interval';
    else if ('run_date' in fields) kind = 'date';
    else if (Object.keys(fields).length === 0) return null;
  }
  if (kind !== 'cron' && kind !== 'interval' && kind !== 'date') {
    issue('trigger', 'expected cron, interval or date');
    return null;
  }
  try {
    return normalizeTriggerSpec({ trigger: kind, ...fields });
  } catch (error) {
    if (!(error instanceof TriggerSpecError)) throw error;
    for (const i of error.issues) issue(i.field || 'trigger', i.message);
    return null;
  }
}

function optionsOf(entry: Record<string, unknown>, issue: (key: string, message: string) => void): JobOptions {
  const bool = (key: string, fallback: boolean): boolean => {
    const v = entry[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    issue(key, 'expected true or false');
    return fallback;
  };
  const seconds = (key: string, fallback: number | null): number | null => {
    const v = entry[key];
    if (v === undefined) return fallback;
    if (v === null) return null;
    const parsed = parseDuration(v);
    if (parsed === null) issue(key, 'expected seconds (a positive number) or a duration such as 90s, 15m, 2h, 1d');
    return parsed ?? fallback;
  };
  const maxInstances = entry['max_instances'] ?? DEFAULT_OPTIONS.maxInstances;
  if (!Number.isInteger(maxInstances) || (maxInstances as number) < 1) issue('max_instances', 'expected a whole number of at least 1');
  const coalesce = bool('coalesce', DEFAULT_OPTIONS.coalesce);
  return {
    coalesce,
    maxInstances: Number.isInteger(maxInstances) ? (maxInstances as number) : 1,
    misfireGraceTime: seconds('misfire_grace_time', DEFAULT_OPTIONS.misfireGraceTime),
    timeout: seconds('timeout', null),
    retries: retriesOf(entry['retries'], issue),
    dependsOn: dependsOnOf(entry['depends_on'], issue),
    enabled: bool('enabled', true),
    catchUp: catchUpOf(entry['catch_up'], coalesce, issue),
    overlap: overlapOf(entry['overlap'], issue),
    alertIfNoSuccessWithin: seconds('alert_if_no_success_within', null),
  };
}

function retriesOf(value: unknown, issue: (key: string, message: string) => void): RetryPolicy {
  if (value === undefined || value === null) return DEFAULT_RETRY;
  if (Number.isInteger(value) && (value as number) >= 0) return { ...DEFAULT_RETRY, max: value as number };
  if (isRecord(value)) {
    const max = value['max'] ?? 0;
    const backoff = parseDuration(value['backoff'] ?? DEFAULT_RETRY.backoffSeconds);
    const maxBackoff = parseDuration(value['max_backoff'] ?? DEFAULT_RETRY.maxBackoffSeconds);
    const unknown = Object.keys(value).filter((k) => !['max', 'backoff', 'max_backoff'].includes(k));
    if (Number.isInteger(max) && (max as number) >= 0 && backoff !== null && maxBackoff !== null && unknown.length === 0) {
      return { max: max as number, backoffSeconds: backoff, maxBackoffSeconds: maxBackoff };
    }
  }
  issue('retries', 'expected a whole number of retries, or {max, backoff, max_backoff}');
  return DEFAULT_RETRY;
}

function dependsOnOf(value: unknown, issue: (key: string, message: string) => void): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (Array.isArray(list) && list.every((v) => typeof v === 'string' && JOB_ID_PATTERN.test(v))) return [...new Set(list as string[])];
  issue('depends_on', 'expected a job id or a list of job ids');
  return [];
}

function catchUpOf(value: unknown, coalesce: boolean, issue: (key: string, message: string) => void): CatchUpPolicy {
  if (value === undefined || value === null) return coalesce ? 'latest' : 'all';
  if (value === 'latest' || value === 'all') return value;
  if (Number.isInteger(value) && (value as number) >= 1) return { max: value as number };
  issue('catch_up', 'expected latest, all, or a whole number of fires to run at most');
  return 'latest';
}

function overlapOf(value: unknown, issue: (key: string, message: string) => void): OverlapPolicy {
  if (value === undefined || value === null) return 'skip';
  if (value === 'skip' || value === 'queue' || value === 'replace') return value;
  issue('overlap', 'expected skip, queue or replace');
  return 'skip';
}

/** Seconds from a number or a duration string (`90s`, `15m`, `2h`, `1d`, `1h30m`). */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)\s*([smhdw])/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== value.trim().replace(/\s+/g, '')) {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : null;
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
