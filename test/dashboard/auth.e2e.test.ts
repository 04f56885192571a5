import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCREENSHOTS, startDashboard, type Dashboard } from './support.js';

const TOKEN = 'dashboard-e2e-token-5c1f0b9d2e';

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard({ env: { KAIROS_API_TOKEN: TOKEN, KAIROS_AUTH_READS: 'true' }, token: TOKEN });
});
afterAll(async () => d?.close());

it('refuses a wrong token, then works (API and WebSocket) with the right one', async () => {
  const { page } = d;
  await page.goto(d.kairos.url);
  // No token yet: reads are refused, so the token is asked for with the API's reason.
  await expect(page.getByRole('alert').textContent()).resolves.toContain('missing API token');
  await page.getByLabel('Token').fill('not-the-token-at-all-xyz');
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
  await expect(page.getByRole('table', { name: 'Jobs' }).count()).resolves.toBe(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'token-refused.png') });

  await page.getByLabel('Token').fill(TOKEN);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.goto(`${d.kairos.url}/#/jobs`);
  await page.locator('tr[data-job="DATA_account_summary_1_minute"]').waitFor();
  // The snapshot came over the WebSocket with ?token=; events keep coming.
  await expect(page.getByText('Live updates lost').count()).resolves.toBe(0);
  expect(await page.evaluate<string | null>("sessionStorage.getItem('kairos.token')")).toBe(TOKEN);
  // A mutating call from the page carries the token too.
  const job = page.locator('tr[data-job="OP_refill_portfolio_performance"]');
  await job.getByRole('button', { name: 'Pause' }).click();
  await job.getByRole('button', { name: 'Resume' }).waitFor();
  expect((await d.call<{ paused: boolean }>('GET', '/scheduler/jobs/OP_refill_portfolio_performance')).body.paused).toBe(true);
});
