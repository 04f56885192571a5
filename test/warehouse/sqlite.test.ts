import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import { warehouseContract } from './contract.js';

warehouseContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kairos-warehouse-'));
  return (isTest, extra) => openWarehouse({ sqlitePath: dir, isTest, displayTimeZone: 'Asia/Taipei', env: {}, ...extra });
});
