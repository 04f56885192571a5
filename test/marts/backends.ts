/**
 * The warehouses the mart tests run on: SQLite files in a temp dir and a fresh
 * PostgreSQL database always, MongoDB when TEST_MONGO_URL is set (its absence
 * is announced, never silent).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { createTestDatabase } from '../support/pg.js';

/** Opens one side (C_* or T_*) of a fresh store; both sides share the store. */
export type Opener = (isTest: boolean) => Promise<Warehouse>;

export interface Backend {
  readonly name: string;
  /** Creates empty storage and returns its opener. */
  fresh(prefix: string): Promise<Opener>;
}

const common = { displayTimeZone: 'Asia/Taipei', env: {} } as const;

const mongoUrl = process.env['TEST_MONGO_URL'];

export const backends: Backend[] = [
  {
    name: 'sqlite',
    fresh: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kairos-marts-'));
      return (isTest) => openWarehouse({ sqlitePath: dir, isTest, ...common });
    },
  },
  {
    name: 'postgres',
    fresh: async (prefix) => {
      const url = await createTestDatabase(prefix);
      return (isTest) => openWarehouse({ postgresUrl: url, isTest, ...common });
    },
  },
  ...(mongoUrl
    ? [
        {
          name: 'mongodb',
          fresh: async () => {
            // The adapter uses the original database names, so isolation means dropping them first.
            const client = new MongoClient(mongoUrl);
            try {
              for (const db of ['C_DATA', 'C_MART', 'T_DATA', 'T_MART']) await client.db(db).dropDatabase();
            } finally {
              await client.close();
            }
            return (isTest: boolean) => openWarehouse({ mongoUri: mongoUrl, isTest, ...common });
          },
        },
      ]
    : []),
];

if (!mongoUrl) console.warn('mart tests on MongoDB skipped: set TEST_MONGO_URL to run them');
