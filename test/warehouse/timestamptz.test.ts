/**
 * The fast timestamptz parser must return exactly what pg's parser returns,
 * for the strings PostgreSQL prints in any session time zone and for real
 * values read back from the server.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from '../../src/warehouse/postgres/timestamptz.js';
import { createTestDatabase } from '../support/pg.js';

const standard = pg.types.getTypeParser(1184, 'text') as (text: string) => unknown;

const SAMPLES = [
  '2024-01-01 00:00:00+00',
  '2024-02-29 23:59:59.999+00',
  '2024-02-29 23:59:59.9995+00',
  '1999-12-31 23:59:59.123456+00',
  '1969-12-31 23:59:59.5+00',
  '1900-01-01 00:00:00+00',
  '0100-03-01 12:00:00+00',
  '0099-03-01 12:00:00+00',
  '0001-01-01 00:00:00+00',
  '0044-03-15 12:00:00+00 BC',
  '9999-12-31 23:59:59.999999+00',
  '12345-01-01 00:00:00+00',
  '2024-06-01 08:00:00+08',
  '2024-06-01 05:30:00+05:30',
  '1890-01-01 08:06:00+08:06',
  '1890-01-01 00:19:32+00:19:32',
  '2024-03-10 01:00:00-05',
  'infinity',
  '-infinity',
];

const same = (a: unknown, b: unknown): void => {
  if (a instanceof Date && b instanceof Date) expect(a.getTime()).toEqual(b.getTime());
  else expect(a).toEqual(b);
};

describe('parseTimestamptz', () => {
  it.each(SAMPLES)('parses %s as pg does', (text) => same(parseTimestamptz(text), standard(text)));

  it('parses what PostgreSQL prints, in UTC and in another session zone, as pg does', async () => {
    const client = new pg.Client({ connectionString: await createTestDatabase('timestamptz'), types: { getTypeParser: () => (text: string) => text } });
    await client.connect();
    try {
      for (const zone of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
        await client.query(`SET TIME ZONE '${zone}'`);
        const { rows } = await client.query<{ t: string }>(
          `SELECT t::text AS t FROM (SELECT '2024-01-01 00:00:00+00'::timestamptz + make_interval(secs => g * 7777.123457) AS t FROM generate_series(-400000, 400000, 997) AS g
           UNION ALL SELECT unnest(ARRAY['0050-01-01', '0200-06-30', '1000-01-01 BC', 'infinity', '-infinity']::timestamptz[])) AS s`,
        );
        for (const { t } of rows) same(parseTimestamptz(t), standard(t));
      }
    } finally {
      await client.end();
    }
  });
});
