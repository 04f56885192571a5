/** Display helpers. Times are shown in the scheduler's display zone (KAIROS_TIMEZONE), which the status answer names. */

const formatters = new Map<string, Intl.DateTimeFormat>();

export function fmtTime(iso: string | null | undefined, timeZone: string, withDate = true): string {
  if (!iso) return '—';
  const key = `${timeZone}|${withDate}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(key, f);
  }
  return f.format(new Date(iso)).replace(',', '');
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(abs < 10_000 && !Number.isInteger(ms / 1000) ? 1 : 0)} s`;
  if (abs < 3_600_000) return `${Math.floor(abs / 60_000)} min ${Math.round((abs % 60_000) / 1000)} s`;
  if (abs < 86_400_000) return `${Math.floor(abs / 3_600_000)} h ${Math.round((abs % 3_600_000) / 60_000)} min`;
  return `${Math.floor(abs / 86_400_000)} d ${Math.round((abs % 86_400_000) / 3_600_000)} h`;
}

/** "in 5 s" / "3 min ago", whole seconds. */
export function fmtRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const rounded = Math.round((Date.parse(iso) - now) / 1000) * 1000;
  if (rounded === 0) return 'now';
  return rounded > 0 ? `in ${fmtDuration(rounded)}` : `${fmtDuration(-rounded)} ago`;
}

/** For instants known to be past: the clock ticks once a second, so a just-finished run must not read "in 1 s". */
export function fmtAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  return fmtRelative(new Date(Math.min(Date.parse(iso), now)).toISOString(), now);
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
export const fmtUsd = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : usd.format(value));

export const fmtPercent = (ratio: number | null | undefined, digits = 2): string => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)}%`);

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export const fmtNumber = (value: number, digits = 4): string => value.toLocaleString('en-US', { maximumFractionDigits: digits });

const CRON_FIELDS = ['year', 'month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'] as const;
const UNITS: Record<string, string> = { second: 'second', minute: 'minute', hour: 'hour', day: 'day' };
const INTERVAL_UNITS = ['weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

/**
 * A trigger spec (jobs.yaml keyword style) in words: the common shapes read
 * naturally ("every 10 seconds", "daily at 03:00"); anything else lists its fields.
 */
export function triggerInWords(spec: Readonly<Record<string, unknown>> | null, timeZone: string): string {
  if (!spec) return 'after its dependencies succeed';
  const zone = typeof spec['timezone'] === 'string' && spec['timezone'] !== 'UTC' ? ` (${spec['timezone']})` : spec['timezone'] === 'UTC' ? ' UTC' : '';
  if (spec['trigger'] === 'date') return `once, at ${fmtTime(String(spec['run_date']), timeZone)}`;
  if (spec['trigger'] === 'interval') {
    const parts = INTERVAL_UNITS.filter((u) => Number(spec[u] ?? 0) > 0).map((u) => plural(Number(spec[u]), u.slice(0, -1)));
    return `every ${parts.join(' ') || 'interval'}`;
  }
  const set = CRON_FIELDS.filter((f) => spec[f] !== undefined && spec[f] !== null).map((f) => [f, String(spec[f])] as const);
  const only = set.length === 1 ? set[0] : undefined;
  if (only) {
    const step = /^\*\/(\d+)$/.exec(only[1]);
    const unit = UNITS[only[0]];
    if (step && unit) return `every ${plural(Number(step[1]), unit)}`;
    if (only[1] === '*' && unit) return `every ${unit}`;
  }
  const hour = spec['hour'];
  const minute = spec['minute'];
  if (set.length === 2 && /^\d+$/.test(String(hour)) && /^\d+$/.test(String(minute))) {
    return `daily at ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}${zone}`;
  }
  return set.map(([f, v]) => `${f.replace('_', ' ')} ${v}`).join(', ') + zone;
}

const plural = (n: number, unit: string): string => (n === 1 ? `1 ${unit}` : `${n} ${unit}s`);
