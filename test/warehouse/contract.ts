/**
 * The warehouse contract, run against every adapter. `fresh()` returns an
 * opener over newly created, empty storage; opening it with isTest true and
 * false gives the two sides of IS_TEST over the same store.
 */
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountSummaryRecord } from '../../src/domain/account-summary.js';
import { createOpDeleteDuplicateDataJob } from '../../src/jobs/op-delete-duplicate-data.js';
import { createOpInsertDataJob } from '../../src/jobs/op-insert-data.js';
import { encryptCredential, parseCredentialKey } from '../../src/warehouse/credentials.js';
import { exportWarehouse, importWarehouse } from '../../src/warehouse/transfer.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { collect, minutes, portfolio, runJob, summary, T0 } from './fixtures.js';

export type WarehouseOpener = (isTest: boolean, extra?: { credentialKey?: string; env?: Record<string, string> }) => Promise<Warehouse>;

const KEY_HEX = 'a1'.repeat(32);

export function warehouseContract(name: string, fresh: () => Promise<WarehouseOpener>): void {
  describe(`warehouse contract: ${name}`, () => {
    let open: WarehouseOpener;
    let wh: Warehouse;
    const opened: Warehouse[] = [];
    const track = async (w: Promise<Warehouse>): Promise<Warehouse> => {
      const warehouse = await w;
      opened.push(warehouse);
      return warehouse;
    };

    beforeEach(async () => {
      open = await fresh();
      wh = await track(open(false));
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((w) => w.close()));
    });

    it('upserts summaries idempotently on (portfolio, current_time) and writes tw_time in the display zone', async () => {
      await wh.upsertAccountSummaries([summary('p1', minutes(0), 100), summary('p1', minutes(1), 110)]);
      await wh.upsertAccountSummaries([summary('p1', minutes(0), 105), summary('p1', minutes(1), 110)]);
      const rows = await collect(wh.streamSummaries({ from: minutes(0), to: minutes(1) }));
      expect(rows.map((r) => [r.currentTime.toISOString(), r.totalUsdValue])).toEqual([
        [minutes(0).toISOString(), 105],
        [minutes(1).toISOString(), 110],
      ]);
      expect(rows[0]).toEqual(summary('p1', minutes(0), 105));
      const docs = await collect(wh.findDocuments('DATA', 'account_summary_1_minute'));
      // 15:59 UTC is 23:59 in Taipei (UTC+8).
      expect(docs.map((d) => d['tw_time'])).toEqual(['2024-03-10 23:59:00', '2024-03-11 00:00:00']);
    });

    it('streams a range in (current_time, portfolio) order across pages, by portfolio or master portfolio', async () => {
      await wh.upsertPortfolio(portfolio('pa', { masterPortfolio: 'm1' }), { apiKey: 'k', apiSecret: 's' });
      await wh.upsertPortfolio(portfolio('pb', { masterPortfolio: 'm1' }), { apiKey: 'k', apiSecret: 's' });
      await wh.upsertPortfolio(portfolio('pc', { masterPortfolio: 'm2' }), { apiKey: 'k', apiSecret: 's' });
      const records = [];
      // 3 x 450 rows: more than one read page; written newest first and interleaved to defeat insertion order.
      for (let i = 449; i >= 0; i -= 1) for (const p of ['pc', 'pa', 'pb']) records.push(summary(p, minutes(i), i));
      await wh.upsertAccountSummaries(records);

      const all = await collect(wh.streamSummaries({ from: minutes(10), to: minutes(439) }));
      expect(all).toHaveLength(430 * 3);
      const keys = all.map((r) => `${r.currentTime.toISOString()} ${r.portfolio}`);
      expect(keys).toEqual([...keys].sort());
      expect(all[0]?.currentTime).toEqual(minutes(10));
      expect(all.at(-1)?.currentTime).toEqual(minutes(439));

      const some = await collect(wh.streamSummaries({ from: minutes(0), to: minutes(449), portfolios: ['pc'] }));
      expect(new Set(some.map((r) => r.portfolio))).toEqual(new Set(['pc']));
      expect(some).toHaveLength(450);
      const ofMaster = await collect(wh.streamSummaries({ from: minutes(0), to: minutes(1), masterPortfolios: ['m1'] }));
      expect(ofMaster.map((r) => r.portfolio)).toEqual(['pa', 'pb', 'pa', 'pb']);
      expect(await collect(wh.streamSummaries({ from: minutes(0), to: minutes(9), portfolios: [] }))).toEqual([]);
    });

    it('streams summary flows: the same rows and order as the summaries, without the balances', async () => {
      await wh.upsertPortfolio(portfolio('pa', { masterPortfolio: 'm1' }), { apiKey: 'k', apiSecret: 's' });
      await wh.upsertPortfolio(portfolio('pb', { masterPortfolio: 'm1' }), { apiKey: 'k', apiSecret: 's' });
      const records: AccountSummaryRecord[] = [];
      // More than one read page, so the page read ahead is part of it.
      for (let i = 0; i < 1_200; i += 1) for (const p of ['pb', 'pa']) records.push(summary(p, minutes(i), i));
      await wh.upsertAccountSummaries(records);
      const flow = ({ portfolio: p, currentTime, totalUsdValue, transferAdjustment }: AccountSummaryRecord) => ({ portfolio: p, currentTime, totalUsdValue, transferAdjustment });
      for (const query of [{ from: minutes(5), to: minutes(1_150) }, { from: minutes(0), to: minutes(1_199), masterPortfolios: ['m1'] }, { from: minutes(0), to: minutes(9), portfolios: ['pb'] }]) {
        const summaries = await collect(wh.streamSummaries(query));
        expect(await collect(wh.streamSummaryFlows(query))).toEqual(summaries.map(flow));
      }
      expect(await collect(wh.streamSummaryFlows({ from: minutes(0), to: minutes(9), portfolios: [] }))).toEqual([]);
    });

    it('writes awkward values exactly: quotes, backslashes, braces, unicode, nulls, extreme numbers, old instants', async () => {
      const names = ['a"b', 'c\\d', '{e,f}', 'NULL', ' g ', 'é😀', "h'i"];
      const values = [0, -0, 0.1 + 0.2, 1e-300, 1.7976931348623157e308, -123456.789, 5e-324];
      const times = [new Date('1999-12-31T23:59:59.999Z'), new Date('1970-01-01T00:00:00Z'), new Date('1900-02-28T12:34:56.789Z'), new Date('2024-02-29T00:00:00.001Z')];
      const records = names.flatMap((name, i) =>
        times.map((at, j) => ({
          ...summary(name, at, values[(i + j) % values.length]!),
          transferAdjustment: values[(i + 2 * j) % values.length]!,
          balances: { [name]: { total: values[j % values.length]!, available: 1, notional: 2, liability: 0, interest: 0 } },
        })),
      );
      await wh.upsertAccountSummaries(records);
      const byKey = (a: AccountSummaryRecord, b: AccountSummaryRecord) => a.currentTime.getTime() - b.currentTime.getTime() || (a.portfolio < b.portfolio ? -1 : 1);
      const read = await collect(wh.streamSummaries({ from: times[2]!, to: times[3]! }));
      // toEqual tells -0 from 0: -0 is stored as 0 (in JSON too), as it always was.
      const unsigned = (r: AccountSummaryRecord) => ({
        ...r,
        totalUsdValue: r.totalUsdValue + 0,
        transferAdjustment: r.transferAdjustment + 0,
        balances: JSON.parse(JSON.stringify(r.balances)) as AccountSummaryRecord['balances'],
      });
      expect(read).toEqual(records.map(unsigned).sort(byKey));
      const docs = await collect(wh.findDocuments('DATA', 'account_summary_1_minute', { portfolio: 'a"b' }));
      expect(docs.map((d) => d['tw_time'])).toEqual(['1900-02-28 20:34:56', '1970-01-01 08:00:00', '2000-01-01 07:59:59', '2024-02-29 08:00:00']);
      // An insert of the same keys skips them all; one new key is inserted.
      const inserted = await wh.insertDocuments('DATA', 'account_summary_1_minute', [
        ...records.slice(0, 3).map((r) => ({ portfolio: r.portfolio, exchange: r.exchange, total_usd_value: 1, balances: {}, transfer_adjustment: 0, current_time: r.currentTime })),
        { portfolio: 'new\\"one', exchange: 'x', total_usd_value: -0, balances: { q: 'a"\\b' }, transfer_adjustment: 0, current_time: times[0] },
      ]);
      expect(inserted).toEqual({ inserted: 1, skipped: 3 });
      const [added] = await collect(wh.findDocuments('DATA', 'account_summary_1_minute', { portfolio: 'new\\"one' }));
      expect(added).toMatchObject({ balances: { q: 'a"\\b' }, total_usd_value: 0, current_time: times[0] });
    });

    it('returns the latest summary and performance row per key', async () => {
      await wh.upsertPortfolio(portfolio('p1'), { apiKey: 'k', apiSecret: 's' });
      await wh.upsertPortfolio(portfolio('p2', { status: 'inactive' }), { apiKey: 'k', apiSecret: 's' });
      await wh.upsertAccountSummaries([summary('p1', minutes(2), 3), summary('p1', minutes(5), 4), summary('p2', minutes(1), 5)]);
      const latest = await wh.latestSummaries();
      expect(latest.map((r) => [r.portfolio, r.totalUsdValue])).toEqual([['p1', 4], ['p2', 5]]);
      expect(await wh.latestSummaries(['nobody'])).toEqual([]);
      expect((await wh.activePortfolios()).map((p) => p.portfolio)).toEqual(['p1']);

      const row = (key: string, at: Date, nav: number) => ({
        key, currentTime: at, totalUsdValue: nav * 10, historyHigh: 100, nav, currentReturn: 0, crr: 0, cd: 0, mdd: 0,
      });
      await wh.upsertPerformanceRows('master', [row('m1', minutes(1), 100), row('m1', minutes(2), 101), row('c1', minutes(1), 99)]);
      await wh.upsertPerformanceRows('master', [row('m1', minutes(2), 102)]);
      expect(await wh.latestPerformance('master', ['m1', 'c1', 'none'])).toEqual([row('m1', minutes(2), 102), row('c1', minutes(1), 99)]);
      expect(await wh.latestPerformance('master', ['m1'], minutes(2))).toEqual([row('m1', minutes(1), 100)]);
      expect(await wh.latestPerformance('portfolio', ['m1'])).toEqual([]);
      expect(await collect(wh.streamPerformance('master', { from: minutes(0), to: minutes(9), keys: ['m1'] }))).toHaveLength(2);
    });

    it('deletes performance rows of the named keys, or of all keys when asked, only inside the range', async () => {
      const row = (key: string, i: number) => ({
        key, currentTime: minutes(i), totalUsdValue: 1000, historyHigh: 100, nav: 100, currentReturn: 0, crr: 0, cd: 0, mdd: 0,
      });
      const everyMinute = (key: string) => [0, 1, 2, 3, 4].map((i) => row(key, i));
      await wh.upsertPerformanceRows('master', [...everyMinute('m1'), ...everyMinute('m2'), ...everyMinute('c1')]);
      await wh.upsertPerformanceRows('portfolio', everyMinute('m1'));
      const left = async (kind: 'master' | 'portfolio') =>
        (await collect(wh.streamPerformance(kind, { from: minutes(0), to: minutes(9) }))).map((r) => `${r.key}@${(r.currentTime.getTime() - T0.getTime()) / 60_000}`);
      const at = (key: string, ...i: number[]) => i.map((n) => `${key}@${n}`);

      expect(await wh.deletePerformance('master', { keys: ['m1', 'c1'], from: minutes(1), to: minutes(3) })).toBe(6);
      expect(await wh.deletePerformance('master', { keys: [], from: minutes(0), to: minutes(9) })).toBe(0);
      expect(await wh.deletePerformance('master', { keys: 'all', from: minutes(4), to: minutes(4) })).toBe(3);
      expect((await left('master')).sort()).toEqual([...at('c1', 0), ...at('m1', 0), ...at('m2', 0, 1, 2, 3)].sort());
      // The other kind and the other pair share key names and the store, and are untouched.
      expect(await left('portfolio')).toEqual(at('m1', 0, 1, 2, 3, 4));
      const test = await track(open(true));
      await test.upsertPerformanceRows('master', [row('m2', 2)]);
      expect(await wh.deletePerformance('master', { keys: 'all', from: minutes(0), to: minutes(9) })).toBe(6);
      expect(await collect(test.streamPerformance('master', { from: minutes(0), to: minutes(9) }))).toEqual([row('m2', 2)]);

      await expect(wh.deletePerformance('master', { keys: 'all', from: minutes(2), to: minutes(1) })).rejects.toThrow(/from <= to/);
      await expect(wh.deletePerformance('master', { keys: 'all', from: new Date(Number.NaN), to: minutes(1) })).rejects.toThrow(/valid times/);
    });

    it('keeps the test databases apart from production (IS_TEST)', async () => {
      const test = await track(open(true));
      expect(test.isTest).toBe(true);
      await test.upsertPortfolio(portfolio('only-test'), { apiKey: 'k', apiSecret: 's' });
      await test.upsertAccountSummaries([summary('only-test', minutes(0), 1)]);
      await wh.upsertAccountSummaries([summary('only-prod', minutes(0), 2)]);
      expect(await wh.portfolios()).toEqual([]);
      expect((await collect(wh.streamSummaries({ from: minutes(0), to: minutes(0) }))).map((r) => r.portfolio)).toEqual(['only-prod']);
      expect((await collect(test.findDocuments('T_DATA', 'account_summary_1_minute'))).map((d) => d['portfolio'])).toEqual(['only-test']);
      await expect(collect(test.findDocuments('C_DATA', 'account_summary_1_minute'))).rejects.toThrow(/unknown database "C_DATA"/);
    });

    it('resolves plain, env: and enc:v1: credentials and names the field, never the value, when it cannot', async () => {
      const key = parseCredentialKey(KEY_HEX);
      const withKey = await track(open(false, { credentialKey: KEY_HEX, env: { OKX_SECRET: 'secret-from-env' } }));
      await withKey.upsertPortfolio(portfolio('okx-1', { exchange: 'okx' }), {
        apiKey: 'plain-key',
        apiSecret: 'env:OKX_SECRET',
        password: encryptCredential('pass-phrase', key),
      });
      expect(await withKey.credentialsFor('okx-1')).toEqual({ apiKey: 'plain-key', apiSecret: 'secret-from-env', password: 'pass-phrase' });
      expect(JSON.stringify(await withKey.activePortfolios())).not.toMatch(/plain-key|OKX_SECRET|enc:v1/);

      const error = await wh.credentialsFor('okx-1').then(() => null, (e: unknown) => e as Error);
      expect(error?.message).toBe('portfolio "okx-1": api_secret references environment variable OKX_SECRET, which is not set');
      const wrongKey = await track(open(false, { credentialKey: 'b2'.repeat(32), env: { OKX_SECRET: 'x' } }));
      const decryptError = await wrongKey.credentialsFor('okx-1').then(() => null, (e: unknown) => e as Error);
      expect(decryptError?.message).toMatch(/^portfolio "okx-1": password could not be decrypted/);
      expect(decryptError?.message).not.toContain('enc:v1');
    });

    it('OP_delete_duplicate_data keeps the newest per group, honours tiebreak, range and dry run, deletes in batches', async () => {
      const job = createOpDeleteDuplicateDataJob({ warehouse: wh });
      const rows = [];
      for (let i = 0; i < 5; i += 1) {
        rows.push(summary('bn-a', minutes(i), 100 + i), summary('bn-b', minutes(i), 200 + i), summary('okx-a', minutes(i), 300 + i, 'okx'));
      }
      await wh.upsertAccountSummaries(rows);
      const base = { db_name: 'DATA', coll_name: 'account_summary_1_minute', time_field: 'current_time' };

      const dry = await runJob(job, {
        ...base, group_fields: ['portfolio'], time_start: minutes(1).toISOString(), time_end: minutes(3).toISOString(), batch_delete_size: 10, dry_run: true,
      });
      expect(dry?.data).toEqual({ scanned: 9, groups: 3, duplicates: 6, deleted: 0, batches: 0, dryRun: true });
      expect(await collect(wh.findDocuments('DATA', 'account_summary_1_minute'))).toHaveLength(15);

      // One snapshot per exchange and minute: among two binance accounts at the same time, keep the last by name.
      const run = await runJob(job, {
        ...base, group_fields: ['exchange', 'current_time'], sort_tiebreak: { portfolio: -1 }, batch_delete_size: 2,
      });
      expect(run?.data).toEqual({ scanned: 15, groups: 10, duplicates: 5, deleted: 5, batches: 3, dryRun: false });
      const left = await collect(wh.findDocuments('DATA', 'account_summary_1_minute'));
      expect(new Set(left.map((d) => d['portfolio']))).toEqual(new Set(['bn-b', 'okx-a']));

      const ranged = await runJob(job, {
        ...base, group_fields: ['portfolio'], extra_match: { exchange: 'okx' }, time_start: minutes(2).toISOString(), batch_delete_size: 100,
      });
      expect(ranged?.data).toMatchObject({ scanned: 3, groups: 1, deleted: 2 });
      const okx = await collect(wh.findDocuments('DATA', 'account_summary_1_minute', { portfolio: 'okx-a' }));
      expect(okx.map((d) => (d['current_time'] as Date).getTime())).toEqual([0, 1, 4].map((i) => minutes(i).getTime()));
      expect((await runJob(job, { ...base, group_fields: ['exchange', 'current_time'], batch_delete_size: 5 }))?.data).toMatchObject({ deleted: 0 });
    });

    it('OP_insert_data inserts, updates and merges with counts', async () => {
      const job = createOpInsertDataJob({ warehouse: wh });
      const target = { db_name: 'MART', coll_name: 'master_portfolio_performance' };
      const doc = (key: string, i: number, nav: number) => ({
        master_portfolio: key, current_time: minutes(i).toISOString(), total_usd_value: 1000, history_high: 100, nav, current_return: 0, crr: 0, cd: 0, mdd: 0,
      });
      const inserted = await runJob(job, { ...target, mode: 'insert', documents: [doc('m', 0, 100), doc('m', 1, 101)] });
      expect(inserted?.data).toEqual({ mode: 'insert', inserted: 2, skipped: 0 });
      expect((await runJob(job, { ...target, mode: 'insert', documents: [doc('m', 1, 999), doc('m', 2, 102)] }))?.data)
        .toEqual({ mode: 'insert', inserted: 1, skipped: 1 });

      const updated = await runJob(job, {
        ...target, mode: 'update',
        update_ops: [
          { filter: { master_portfolio: 'm' }, update: { $set: { history_high: 110 } } },
          { filter: { master_portfolio: 'n', current_time: minutes(0).toISOString() }, update: { $set: doc('n', 0, 100) }, upsert: true },
        ],
      });
      expect(updated?.data).toEqual({ mode: 'update', matched: 3, upserted: 1 });

      const merged = await runJob(job, {
        ...target, mode: 'merge', merge_strategy: 'set', merge_upsert: true,
        documents: [{ ...doc('m', 0, 100.5) }, doc('z', 0, 100)],
      });
      expect(merged?.data).toEqual({ mode: 'merge', matched: 1, upserted: 1 });
      const replaced = await runJob(job, {
        ...target, mode: 'merge', merge_strategy: 'replace', merge_upsert: false, key_fields: ['master_portfolio', 'current_time'],
        documents: [{ ...doc('m', 1, 77), tw_time: 'custom' }, doc('absent', 0, 1)],
      });
      expect(replaced?.data).toEqual({ mode: 'merge', matched: 1, upserted: 0 });

      const rows = await collect(wh.findDocuments('MART', 'master_portfolio_performance'));
      expect(rows.map((r) => [r['master_portfolio'], (r['current_time'] as Date).toISOString(), r['nav'], r['history_high'], r['tw_time']])).toEqual([
        ['m', minutes(0).toISOString(), 100.5, 100, '2024-03-10 23:59:00'],
        ['m', minutes(1).toISOString(), 77, 100, 'custom'],
        ['m', minutes(2).toISOString(), 102, 110, '2024-03-11 00:01:00'],
        ['n', minutes(0).toISOString(), 100, 100, '2024-03-10 23:59:00'],
        ['z', minutes(0).toISOString(), 100, 100, '2024-03-10 23:59:00'],
      ]);
    });

    it('rejects bad OP arguments before writing anything', async () => {
      const insert = createOpInsertDataJob({ warehouse: wh });
      const dedup = createOpDeleteDuplicateDataJob({ warehouse: wh });
      const good = { portfolio: 'p', exchange: 'binance', status: 'active' };

      // The stored definition's placeholders are valid kwargs, but running them fails clearly.
      expect(insert.kwargsSchema.parse({ mode: null, db_name: null }).ok).toBe(true);
      await expect(runJob(insert, { mode: null, db_name: null })).rejects.toThrow(/mode, db_name, coll_name are still null/);
      await expect(runJob(dedup, {})).rejects.toThrow(/db_name, coll_name, group_fields are still null/);

      const missing = insert.kwargsSchema.parse({ mode: 'merge', db_name: 'DATA', coll_name: 'portfolio' });
      expect(missing.ok ? [] : missing.issues.map((i) => i.path)).toEqual(['documents']);
      expect(insert.kwargsSchema.parse({ mode: 'update', db_name: 'DATA', coll_name: 'portfolio', update_ops: [] }).ok).toBe(false);
      expect(insert.kwargsSchema.parse({ mode: 'insert', db_name: 'DATA', coll_name: 'portfolio', documents: [good], typo: 1 }).ok).toBe(false);

      const attempts: [unknown, RegExp][] = [
        [{ mode: 'insert', db_name: 'DATA', coll_name: 'portfolio', documents: [good, { ...good, portfolio: 'q', 'x; DROP TABLE portfolio': 1 }] },
          /unknown field "x; DROP TABLE portfolio" in portfolio document #1/],
        [{ mode: 'insert', db_name: 'DATA', coll_name: 'users', documents: [good] }, /unknown collection "users" in C_DATA/],
        [{ mode: 'insert', db_name: 'OTHER', coll_name: 'portfolio', documents: [good] }, /unknown database "OTHER"/],
        [{ mode: 'insert', db_name: 'DATA', coll_name: 'portfolio', documents: [good, { portfolio: 'q' }] }, /portfolio document #1: exchange is required/],
        [{ mode: 'merge', db_name: 'DATA', coll_name: 'portfolio', merge_strategy: 'set', merge_upsert: true, documents: [good, { ...good, portfolio: 'r', position_threshold: 'high' }] },
          /position_threshold must be a number/],
        [{ mode: 'update', db_name: 'DATA', coll_name: 'portfolio', update_ops: [{ filter: { portfolio: 'p' }, update: { $set: { status: 'x' } } }, { filter: { portfolio: { $ne: 1 } }, update: { $set: { status: 'y' } } }] },
          /only equality is supported/],
      ];
      for (const [kwargs, message] of attempts) await expect(runJob(insert, kwargs)).rejects.toThrow(message);
      await expect(
        runJob(dedup, { db_name: 'DATA', coll_name: 'account_summary_1_minute', group_fields: ['portfolio'], sort_tiebreak: { 'balances.$where': 1 } }),
      ).rejects.toThrow(/unknown field "balances.\$where" in sort_tiebreak/);
      expect(await wh.portfolios()).toEqual([]);
    });

    it('exports NDJSON without credentials unless asked, and imports idempotently', async () => {
      await wh.upsertPortfolio(portfolio('p1', { masterPortfolio: 'm1' }), { apiKey: 'AK-123', apiSecret: 'SEC-456', password: 'PW-789', memo: 'MEMO-0' });
      await wh.upsertAccountSummaries([summary('p1', minutes(0), 10), summary('p1', minutes(1), 11)]);
      await wh.upsertPerformanceRows('portfolio', [{ key: 'p1', currentTime: minutes(1), totalUsdValue: 11, historyHigh: 100, nav: 100, currentReturn: 0, crr: 0, cd: 0, mdd: 0 }]);

      const dump = async (options?: { includeCredentials: boolean }): Promise<string> => {
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on('data', (c: Buffer) => chunks.push(c));
        await exportWarehouse(wh, out, options);
        out.end();
        return Buffer.concat(chunks).toString('utf8');
      };
      const plain = await dump();
      expect(plain).not.toMatch(/AK-123|SEC-456|PW-789|MEMO-0|api_key|api_secret/);
      expect(plain.trim().split('\n')).toHaveLength(4);
      expect(await dump({ includeCredentials: true })).toMatch(/"api_key":"AK-123"/);

      const test = await track(open(true));
      await test.upsertPortfolio(portfolio('p1'), { apiKey: 'TEST-KEY', apiSecret: 'TEST-SECRET' });
      const counts = await importWarehouse(test, PassThrough.from([plain.slice(0, 100), plain.slice(100)]));
      await importWarehouse(test, PassThrough.from([plain]));
      expect(counts.counts).toEqual({ 'DATA.portfolio': 1, 'DATA.account_summary_1_minute': 2, 'MART.portfolio_performance': 1 });
      expect(await test.portfolios()).toEqual(await wh.portfolios());
      expect(await collect(test.streamSummaries({ from: minutes(0), to: minutes(1) }))).toEqual(await collect(wh.streamSummaries({ from: minutes(0), to: minutes(1) })));
      expect(await test.credentialsFor('p1')).toEqual({ apiKey: 'TEST-KEY', apiSecret: 'TEST-SECRET' });
    });
  });
}
