import { isAbsolute, resolve } from 'node:path';

/**
 * Kairos' configuration, read from the environment in one place. Every problem
 * is collected and reported at once, by variable name, never with its value.
 */
export interface Config {
  readonly isTest: boolean;
  readonly jobStore: StoreUrl;
  readonly warehouse: WarehouseTarget;
  readonly http: { readonly host: string; readonly port: number };
  readonly api: { readonly tokens: readonly string[]; readonly authReads: boolean };
  readonly log: { readonly dir: string; readonly level: LogLevel; readonly console: 'pretty' | 'json' | 'off' };
  readonly jobsFile: string;
  readonly timezone: string;
  readonly shutdownGraceMs: number;
  readonly runRetentionDays: number;
  /** How long a run stays owned by an instance that stopped heartbeating before it is marked abandoned. */
  readonly leaseMs: number;
  readonly postgresSchema: string;
  readonly autoMigrate: boolean;
  readonly demoSeed: 'auto' | 'never';
  readonly credentialKey: string | null;
  readonly webhooks: { readonly process: string | null; readonly totalUsdValueAlert: string | null };
  readonly diskPath: string;
}

export type StoreUrl = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

export type WarehouseTarget =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'mongodb'; readonly uri: string };

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

export interface ConfigResult {
  readonly config: Config | null;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** Every variable Kairos reads, with its meaning; README and `.env.example` list the same. */
export const VARIABLES = {
  IS_TEST: 'truthy: use the test databases T_DATA/T_MART instead of C_DATA/C_MART',
  MONGO_URI: 'when set, the warehouse is MongoDB at this URI',
  SQLALCHEMY_URL: 'alias of KAIROS_JOB_STORE_URL (SQLAlchemy forms such as postgresql+psycopg:// are translated)',
  ETL_PROCESS_WEBHOOK: 'Discord webhook for scheduler and log notifications (unset: channel disabled)',
  ETL_TOTAL_USD_VALUE_ALERT: 'Discord webhook for portfolio threshold alerts (unset: channel disabled)',
  KAIROS_JOB_STORE_URL: 'job store: sqlite:<path> or postgres://... (default sqlite:./data/kairos.db)',
  KAIROS_WAREHOUSE_URL: 'warehouse when MONGO_URI is unset: sqlite:<directory> or postgres://... (default sqlite:./data/warehouse)',
  HOST: 'HTTP listen address (default 127.0.0.1)',
  PORT: 'HTTP port (default 8000)',
  KAIROS_API_TOKEN: 'API token(s), comma-separated; required for a non-loopback HOST',
  KAIROS_AUTH_READS: 'true: read endpoints and the WebSocket also need the token (default false)',
  KAIROS_LOG_DIR: 'log directory (default ./logs)',
  KAIROS_LOG_LEVEL: 'trace|debug|info|warn|error|critical (default info)',
  KAIROS_LOG_CONSOLE: 'pretty|json|off (default pretty in a terminal, json otherwise)',
  KAIROS_JOBS_FILE: 'job definitions (default ./configs/jobs.yaml)',
  KAIROS_TIMEZONE: 'display time zone for tw_time and the dashboard (default Asia/Taipei)',
  KAIROS_SHUTDOWN_GRACE: 'seconds running jobs get to finish on SIGTERM (default 30)',
  KAIROS_RUN_RETENTION_DAYS: 'days of run history kept (default 30)',
  KAIROS_LEASE_SECONDS: 'seconds after which runs of an instance that stopped heartbeating are marked abandoned (default 30)',
  KAIROS_PG_SCHEMA: 'PostgreSQL schema of the job store (default kairos)',
  KAIROS_AUTO_MIGRATE: 'false: do not migrate the job store at start-up; run `kairos migrate` (default true)',
  KAIROS_DEMO_SEED: 'auto: seed demo portfolios into an empty embedded warehouse; never: do not (default auto)',
  KAIROS_CREDENTIAL_KEY: 'key (32 bytes, base64 or hex) for enc:v1: encrypted exchange credentials',
  KAIROS_DISK_PATH: 'path whose disk usage /system/resources reports (default /)',
} as const;

const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'critical'];

export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd(), isTty = Boolean(process.stdout.isTTY)): ConfigResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const get = (name: keyof typeof VARIABLES): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const path = (value: string): string => (isAbsolute(value) ? value : resolve(cwd, value));
  const bool = (name: keyof typeof VARIABLES, fallback: boolean): boolean => {
    const value = get(name);
    if (value === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    errors.push(`${name}: expected true or false`);
    return fallback;
  };
  const int = (name: keyof typeof VARIABLES, fallback: number, min: number, max: number): number => {
    const value = get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      errors.push(`${name}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(name: keyof typeof VARIABLES, allowed: readonly T[], fallback: T): T => {
    const value = get(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    errors.push(`${name}: expected one of ${allowed.join(', ')}`);
    return fallback;
  };
  const webhook = (name: 'ETL_PROCESS_WEBHOOK' | 'ETL_TOTAL_USD_VALUE_ALERT'): string | null => {
    const value = get(name);
    if (value === undefined) {
      warnings.push(`${name} is not set: that Discord channel is disabled`);
      return null;
    }
    if (!isHttpUrl(value)) {
      errors.push(`${name}: expected an http(s) webhook URL`);
      return null;
    }
    return value;
  };

  const storeRaw = get('KAIROS_JOB_STORE_URL') ?? get('SQLALCHEMY_URL');
  const storeName = get('KAIROS_JOB_STORE_URL') ? 'KAIROS_JOB_STORE_URL' : 'SQLALCHEMY_URL';
  const jobStore = storeRaw === undefined ? { kind: 'sqlite' as const, path: path('data/kairos.db') } : parseStoreUrl(storeRaw, path);
  if (!jobStore) errors.push(`${storeName}: expected sqlite:<path> or postgres://user:password@host:port/database`);

  const mongo = get('MONGO_URI');
  let warehouse: WarehouseTarget | null;
  if (mongo !== undefined) {
    warehouse = /^mongodb(\+srv)?:\/\//.test(mongo) ? { kind: 'mongodb', uri: mongo } : null;
    if (!warehouse) errors.push('MONGO_URI: expected mongodb://... or mongodb+srv://...');
  } else {
    const raw = get('KAIROS_WAREHOUSE_URL');
    warehouse = raw === undefined ? { kind: 'sqlite', path: path('data/warehouse') } : parseStoreUrl(raw, path);
    if (!warehouse) errors.push('KAIROS_WAREHOUSE_URL: expected sqlite:<path> or postgres://user:password@host:port/database');
  }

  const host = get('HOST') ?? '127.0.0.1';
  const tokens = (get('KAIROS_API_TOKEN') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tokens.some((t) => t.length < 16)) errors.push('KAIROS_API_TOKEN: each token must be at least 16 characters');
  if (!tokens.length && !isLoopback(host)) {
    errors.push(`HOST: refusing to listen on a non-loopback address without KAIROS_API_TOKEN (set a token, or HOST=127.0.0.1)`);
  }
  const timezone = get('KAIROS_TIMEZONE') ?? 'Asia/Taipei';
  if (!isTimeZone(timezone)) errors.push('KAIROS_TIMEZONE: expected an IANA time zone name such as Asia/Taipei or UTC');
  const schema = get('KAIROS_PG_SCHEMA') ?? 'kairos';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) errors.push('KAIROS_PG_SCHEMA: expected a lowercase SQL identifier');
  const credentialKey = get('KAIROS_CREDENTIAL_KEY') ?? null;
  if (credentialKey !== null && decodedKeyLength(credentialKey) !== 32) {
    errors.push('KAIROS_CREDENTIAL_KEY: expected 32 bytes as base64 or hex');
  }

  const config: Config = {
    isTest: bool('IS_TEST', false),
    jobStore: jobStore ?? { kind: 'sqlite', path: ':memory:' },
    warehouse: warehouse ?? { kind: 'sqlite', path: ':memory:' },
    http: { host, port: int('PORT', 8000, 0, 65535) },
    api: { tokens, authReads: bool('KAIROS_AUTH_READS', false) },
    log: {
      dir: path(get('KAIROS_LOG_DIR') ?? 'logs'),
      level: oneOf('KAIROS_LOG_LEVEL', LOG_LEVELS, 'info'),
      console: oneOf('KAIROS_LOG_CONSOLE', ['pretty', 'json', 'off'] as const, isTty ? 'pretty' : 'json'),
    },
    jobsFile: path(get('KAIROS_JOBS_FILE') ?? 'configs/jobs.yaml'),
    timezone,
    shutdownGraceMs: int('KAIROS_SHUTDOWN_GRACE', 30, 0, 86_400) * 1000,
    runRetentionDays: int('KAIROS_RUN_RETENTION_DAYS', 30, 1, 3650),
    leaseMs: int('KAIROS_LEASE_SECONDS', 30, 2, 3600) * 1000,
    postgresSchema: schema,
    autoMigrate: bool('KAIROS_AUTO_MIGRATE', true),
    demoSeed: oneOf('KAIROS_DEMO_SEED', ['auto', 'never'] as const, 'auto'),
    credentialKey,
    webhooks: { process: webhook('ETL_PROCESS_WEBHOOK'), totalUsdValueAlert: webhook('ETL_TOTAL_USD_VALUE_ALERT') },
    diskPath: get('KAIROS_DISK_PATH') ?? '/',
  };
  return { config: errors.length ? null : config, errors, warnings };
}

/** Accepts `sqlite:<path>`, `postgres(ql)://` and SQLAlchemy's `postgresql+driver://` forms. */
export function parseStoreUrl(raw: string, path: (p: string) => string): StoreUrl | null {
  if (raw.startsWith('sqlite:')) {
    const rest = raw.slice('sqlite:'.length).replace(/^\/\/\//, '');
    return rest ? { kind: 'sqlite', path: rest === ':memory:' ? rest : path(rest) } : null;
  }
  const match = /^postgres(?:ql)?(?:\+[a-z0-9_]+)?:\/\//.exec(raw);
  if (!match) return null;
  const url = `postgres://${raw.slice(match[0].length)}`;
  try {
    const parsed = new URL(url);
    return parsed.hostname ? { kind: 'postgres', url } : null;
  } catch {
    return null;
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function decodedKeyLength(key: string): number {
  if (/^[0-9a-f]{64}$/i.test(key)) return 32;
  return Buffer.from(key, 'base64').length;
}
