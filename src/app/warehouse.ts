import type { Config } from '../config/config.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** Opens the configured warehouse; `isTest` overrides IS_TEST (refills may read one pair and write the other). */
export function openConfiguredWarehouse(config: Config, isTest = config.isTest, onWarning?: (message: string) => void): Promise<Warehouse> {
  const target = config.warehouse;
  return openWarehouse({
    isTest,
    displayTimeZone: config.timezone,
    credentialKey: config.credentialKey ?? undefined,
    onWarning,
    ...(target.kind === 'mongodb' ? { mongoUri: target.uri } : target.kind === 'postgres' ? { postgresUrl: target.url } : { sqlitePath: target.path }),
  });
}
