import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import { addPortfolios, at, member, rowsOf, snap } from '../marts/fixtures.js';
import { KAIROS_BIN } from '../support/cli-process.js';
import { tempDir } from '../support/scheduler.js';

/** The built CLI against an embedded warehouse, as an operator runs it. */
function kairos(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { PATH: process.env['PATH'], KAIROS_WAREHOUSE_URL: `sqlite:${join(dir, 'warehouse')}`, KAIROS_LOG_CONSOLE: 'off' };
  return spawnSync(process.execPath, [KAIROS_BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
}

describe('kairos refill', () => {
  it('reads the test data with --source-test and writes the production mart; --master fills masters and composites', async () => {
    const dir = tempDir('refill-cli');
    const source = await openWarehouse({ sqlitePath: join(dir, 'warehouse'), isTest: true });
    await addPortfolios(source, [member('a', 'm', 'c'), member('b', 'm', 'c')]);
    await source.upsertAccountSummaries([snap('a', 0, 100), snap('b', 0, 50), snap('a', 1, 110), snap('b', 1, 55), snap('a', 2, 99, -10), snap('b', 2, 60)]);
    await source.close();

    const from = at(0).toISOString();
    const to = at(2).toISOString();
    const portfolio = kairos(dir, ['refill', '--from', from, '--to', to, '--source-test', '--target-prod']);
    expect(portfolio.stderr).toContain('a: 3 rows computed');
    expect(portfolio.status).toBe(0);
    expect(JSON.parse(portfolio.stdout)).toMatchObject({ kind: 'portfolio', readTest: true, writeTest: false, rows: 6, keys: 2 });

    const master = kairos(dir, ['refill', '--from', from, '--to', to, '--master', '--source-test', '--target-prod']);
    expect(master.status).toBe(0);
    expect(JSON.parse(master.stdout)).toMatchObject({ kind: 'master', rows: 6, keys: 2 });

    const production = await openWarehouse({ sqlitePath: join(dir, 'warehouse'), isTest: false });
    const test = await openWarehouse({ sqlitePath: join(dir, 'warehouse'), isTest: true });
    try {
      const a = await rowsOf(production, 'portfolio', ['a']);
      expect(a.map((r) => r.currentTime.getTime())).toEqual([at(0), at(1), at(2)].map((d) => d.getTime()));
      expect(a[0]!.nav).toBe(100);
      expect(a[1]!.nav).toBeCloseTo(110, 9);
      const masters = await rowsOf(production, 'master', ['m', 'c']);
      expect(masters.filter((r) => r.key === 'm').map((r) => r.totalUsdValue)).toEqual([150, 165, 159]);
      expect(masters.filter((r) => r.key === 'c')).toHaveLength(3);
      expect(await rowsOf(test, 'portfolio', ['a', 'b'])).toEqual([]);
    } finally {
      await Promise.all([production.close(), test.close()]);
    }

    const bad = kairos(dir, ['refill', '--to', to]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--from is required');
  });
});
