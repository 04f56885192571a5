import { createTestDatabase } from '../support/pg.js';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import { warehouseContract } from './contract.js';

warehouseContract('postgres', async () => {
  const url = await createTestDatabase('warehouse');
  return (isTest, extra) => openWarehouse({ postgresUrl: url, isTest, displayTimeZone: 'Asia/Taipei', env: {}, ...extra });
});
