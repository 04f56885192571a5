import { MongoClient } from 'mongodb';
import { describe } from 'vitest';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import { warehouseContract } from './contract.js';

const url = process.env['TEST_MONGO_URL'];

if (!url) {
  console.warn('MongoDB warehouse contract skipped: set TEST_MONGO_URL to run it');
  describe.skip('warehouse contract: mongodb (TEST_MONGO_URL not set)', () => undefined);
} else {
  warehouseContract('mongodb', async () => {
    // The adapter uses the original database names, so isolation means dropping them first.
    const client = new MongoClient(url);
    try {
      for (const db of ['C_DATA', 'C_MART', 'T_DATA', 'T_MART']) await client.db(db).dropDatabase();
    } finally {
      await client.close();
    }
    return (isTest, extra) => openWarehouse({ mongoUri: url, isTest, displayTimeZone: 'Asia/Taipei', env: {}, ...extra });
  });
}
