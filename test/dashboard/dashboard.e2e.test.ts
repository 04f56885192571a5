import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startDashboard, waitUntil, type Dashboard } from './support.js';

interface RunPage {
  runs: { id: string; status: string; job_id: string }[];
  total: number;
}

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard();
  await d.page.goto(`${d.kairos.url}/#/jobs`);
  await d.page.locator('tr[data-job="MART_portfolio_performance"]').waitFor();
});
afterAll(async () => d?.close());

const row = (job: string) => d.page.locator(`tr[data-job="${job}"]`);

describe('dashboard against a running Kairos on the demo data', () => {
  it('updates the jobs table by itself when a job fires', async () => {
    const runs = row('DATA_account_summary_1_minute').locator('.runs-cell .small');
    const before = await runs.textContent();
    // No reload: the WebSocket's events change the row.
    await waitUntil(async () => (await runs.textContent()) !== before);
    const count = (text: string | null) => Number(/(\d+) runs/.exec(text ?? '')?.[1]);
    await waitUntil(async () => count(await runs.textContent()) > count(before));
    await expect(row('DATA_account_summary_1_minute').locator('.last-result .badge').textContent()).resolves.toMatch(/success|submitted/);
    await d.page.screenshot({ path: join(SCREENSHOTS, 'jobs-laptop.png'), fullPage: true });
  });

  it('refuses a bad override with the validation error and runs nothing', async () => {
    const triggers: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => r.method() === 'POST' && triggers.push(r.url());
    d.page.on('request', onRequest);
    await row('MART_portfolio_performance').getByRole('button', { name: 'Trigger MART_portfolio_performance with overrides' }).click();
    const dialog = d.page.getByRole('dialog');
    await dialog.getByLabel('batch_size').fill('0');
    await dialog.getByLabel('keys').fill('["demo-alpha-1"');
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await expect(dialog.locator('#kwarg-keys-error').textContent()).resolves.toContain('must be valid JSON');
    await dialog.getByLabel('keys').fill('');
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await expect(dialog.locator('#kwarg-batch_size-error').textContent()).resolves.toMatch(/must be > 0/);
    await expect(dialog.getByLabel('batch_size').getAttribute('aria-invalid')).resolves.toBe('true');
    await dialog.screenshot({ path: join(SCREENSHOTS, 'overrides-invalid.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    d.page.off('request', onRequest);
    expect(triggers).toEqual([]);
    const jobs = await d.call<{ jobs: { id: string }[] }>('GET', '/scheduler/jobs');
    expect(jobs.body.jobs.filter((j) => j.id.includes('__manual__'))).toEqual([]);
  });

  it('triggers with overrides: the one-off run happens and shows in its run history', async () => {
    await row('MART_portfolio_performance').getByRole('button', { name: 'Trigger MART_portfolio_performance with overrides' }).click();
    const dialog = d.page.getByRole('dialog');
    await dialog.getByLabel('batch_size').fill('250');
    await dialog.getByRole('button', { name: 'Run now' }).click();
    const status = d.page.getByRole('status').filter({ hasText: 'Triggered MART_portfolio_performance as' });
    const copy = /as (MART_portfolio_performance__manual__\d+)/.exec((await status.textContent()) ?? '')![1]!;
    await status.getByRole('link', { name: 'see its runs' }).click();
    const runRow = d.page.getByRole('table', { name: `Runs of ${copy}` }).locator('tbody tr').first();
    await waitUntil(async () => (await runRow.locator('.badge').textContent()) === 'success');
    const runs = await d.call<RunPage>('GET', `/scheduler/jobs/${copy}/runs`);
    expect(runs.body.runs.map((r) => r.status)).toEqual(['success']);
    await runRow.getByRole('button', { name: 'Show' }).click();
    await expect(d.page.locator('pre.log').textContent()).resolves.toBeTruthy();
    await d.page.screenshot({ path: join(SCREENSHOTS, 'manual-run.png'), fullPage: true });
  });

  it('pauses and resumes a job, in the table and in the API', async () => {
    await d.page.goto(`${d.kairos.url}/#/jobs`);
    const job = 'MART_master_portfolio_performance';
    const state = row(job).locator('.state-cell');
    await row(job).getByRole('button', { name: 'Pause' }).click();
    await waitUntil(async () => (await state.textContent()) === 'paused');
    expect((await d.call<{ paused: boolean; next_run_time: string | null }>('GET', `/scheduler/jobs/${job}`)).body).toMatchObject({ paused: true, next_run_time: null });
    await expect(row(job).locator('.next-run').textContent()).resolves.toContain('—');
    await row(job).getByRole('button', { name: 'Resume' }).click();
    await waitUntil(async () => (await state.textContent()) === 'active');
    expect((await d.call<{ paused: boolean }>('GET', `/scheduler/jobs/${job}`)).body.paused).toBe(false);
  });

  it('renders a composite portfolio chart with data points, and the balances', async () => {
    // The marts run every two seconds on snapshots taken every second: wait for a few rows.
    await waitUntil(async () => (await d.call<{ rows: number }>('GET', '/warehouse/performance?kind=master&key=demo-fund')).body.rows >= 3, 20_000);
    await d.page.goto(`${d.kairos.url}/#/portfolios/master/demo-fund`);
    const chart = d.page.getByRole('img', { name: /^Value and NAV: \d+ points/ });
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
    await expect(chart.locator('canvas').count()).resolves.toBe(1);
    await expect(d.page.getByRole('img', { name: /^Drawdown: / }).locator('canvas').count()).resolves.toBe(1);
    const balances = d.page.getByRole('table', { name: 'Balances' });
    await expect(balances.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await d.page.screenshot({ path: join(SCREENSHOTS, 'portfolios-laptop.png'), fullPage: true });
  });

  it('reads well at phone width (screenshots of every page)', async () => {
    await d.page.setViewportSize({ width: 390, height: 844 });
    for (const [name, hash] of [
      ['overview', '#/'],
      ['jobs', '#/jobs'],
      ['job', '#/jobs/DATA_account_summary_1_minute'],
      ['portfolios', '#/portfolios/master/demo-fund'],
    ] as const) {
      await d.page.goto(`${d.kairos.url}/${hash}`);
      await d.page.locator('main .card').first().waitFor();
      await d.page.waitForTimeout(700);
      await d.page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
      // Nothing wider than the screen: tables wrap or become cards.
      const overflow = await d.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, name).toBeLessThanOrEqual(0);
    }
    await d.page.setViewportSize({ width: 1366, height: 900 });
    for (const [name, hash] of [
      ['overview', '#/'],
      ['job', '#/jobs/DATA_account_summary_1_minute'],
    ] as const) {
      await d.page.goto(`${d.kairos.url}/${hash}`);
      await d.page.locator('main .card').first().waitFor();
      await d.page.waitForTimeout(1200);
      await d.page.screenshot({ path: join(SCREENSHOTS, `${name}-laptop.png`), fullPage: true });
    }
  });
});
