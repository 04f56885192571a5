/**
 * Child process of the volume test: inserts 1,000,000 summaries, then streams
 * them back through the range read, checking order, and prints its peak RSS.
 * Usage: node volume-child.mjs sqlite <dir> | postgres <url>. It runs the built
 * code in dist/ (npm test builds first), so no TypeScript loader is needed.
 */
import { openWarehouse } from '../../dist/warehouse/open-warehouse.js';

const [backend, location] = process.argv.slice(2);
const PORTFOLIOS = 200;
const MINUTES = 5000;
const start = Date.UTC(2024, 0, 1);

const warehouse = await openWarehouse({
  isTest: false,
  displayTimeZone: 'Asia/Taipei',
  ...(backend === 'postgres' ? { postgresUrl: location } : { sqlitePath: location }),
});
for (let minute = 0; minute < MINUTES; minute += 25) {
  const batch = [];
  for (let m = minute; m < minute + 25; m += 1) {
    for (let p = 0; p < PORTFOLIOS; p += 1) {
      const value = 1000 + p + m;
      batch.push({
        portfolio: `p${String(p).padStart(3, '0')}`,
        exchange: 'simulated',
        currentTime: new Date(start + m * 60_000),
        totalUsdValue: value,
        transferAdjustment: 0,
        balances: { USDT: { total: value, available: value, notional: value, liability: 0, interest: 0 } },
      });
    }
  }
  await warehouse.upsertAccountSummaries(batch);
}
let rows = 0;
let previous = '';
for await (const r of warehouse.streamSummaries({ from: new Date(start), to: new Date(start + MINUTES * 60_000) })) {
  const key = `${r.currentTime.toISOString()} ${r.portfolio}`;
  if (key <= previous) throw new Error(`out of order: ${key} after ${previous}`);
  previous = key;
  rows += 1;
}
await warehouse.close();
process.stdout.write(JSON.stringify({ rows, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
