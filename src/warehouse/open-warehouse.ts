import { resolve } from 'node:path';
import { parseCredentialKey } from './credentials.js';
import { DomainWarehouse } from './domain-warehouse.js';
import { openSqliteStore } from './sqlite/open-sqlite.js';
import type { WarehouseStore } from './store.js';
import { DEFAULT_DISPLAY_TIME_ZONE, twTimeFormatter } from './tw-time.js';
import type { Warehouse } from './warehouse.js';

export interface OpenWarehouseOptions {
  /** MongoDB URI (MONGO_URI); takes precedence over the other stores. */
  readonly mongoUri?: string | undefined;
  /** PostgreSQL URL; used when no mongoUri is given. */
  readonly postgresUrl?: string | undefined;
  /**
   * Directory of the SQLite files (`C_DATA.sqlite`, ...), used when neither URL is given.
   * @default "data/warehouse"
   */
  readonly sqlitePath?: string | undefined;
  /** IS_TEST: use T_DATA/T_MART instead of C_DATA/C_MART. */
  readonly isTest: boolean;
  /** IANA zone of tw_time. @default "Asia/Taipei" */
  readonly displayTimeZone?: string | undefined;
  /** KAIROS_CREDENTIAL_KEY (32 bytes, hex or base64); needed only to read `enc:v1:` credentials. */
  readonly credentialKey?: string | undefined;
  /** Where `env:` credential references are looked up. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Non-fatal problems found while opening (e.g. a unique index MongoDB could not build). */
  readonly onWarning?: ((message: string) => void) | undefined;
}

export const DEFAULT_SQLITE_PATH = 'data/warehouse';

/** Opens (and migrates, or indexes) the configured store and returns the warehouse over it. */
export async function openWarehouse(options: OpenWarehouseOptions): Promise<Warehouse> {
  // Validated before connecting, so a bad setting fails fast without touching a store.
  const twTime = twTimeFormatter(options.displayTimeZone ?? DEFAULT_DISPLAY_TIME_ZONE);
  const key = options.credentialKey ? parseCredentialKey(options.credentialKey) : undefined;
  const { isTest } = options;
  let store: WarehouseStore;
  if (options.mongoUri) {
    // The MongoDB driver is loaded only when MongoDB is configured (it costs ~25 MB resident).
    const { openMongoStore } = await import('./mongo/open-mongo.js');
    store = await openMongoStore({ uri: options.mongoUri, isTest, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
  } else if (options.postgresUrl) {
    const { openPostgresStore } = await import('./postgres/open-postgres.js');
    store = await openPostgresStore({ url: options.postgresUrl, isTest });
  } else {
    store = openSqliteStore({ directory: resolve(options.sqlitePath ?? DEFAULT_SQLITE_PATH), isTest });
  }
  return new DomainWarehouse(store, { isTest, twTime, credentials: { env: options.env ?? process.env, key } });
}
