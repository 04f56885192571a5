/**
 * Kairos' log levels: pino's own plus `critical`, placed between error and
 * fatal so that an error-level threshold (error log, Discord forwarding) also
 * catches it, while fatal stays reserved for "the process is going down".
 */
export const LOG_LEVELS = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  critical: 55,
  fatal: 60,
} as const;

export type LevelName = keyof typeof LOG_LEVELS;

/** The custom levels to hand to pino (its built-in ones need no declaration). */
export const CUSTOM_LEVELS = { critical: LOG_LEVELS.critical } as const;

const LABELS = new Map<number, LevelName>(
  Object.entries(LOG_LEVELS).map(([name, value]) => [value, name as LevelName]),
);

/** The level name of a numeric pino level; unknown numbers are shown as `level<n>`. */
export function levelLabel(value: number): string {
  return LABELS.get(value) ?? `level${value}`;
}
