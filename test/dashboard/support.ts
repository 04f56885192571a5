import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startKairos, type RunningKairos } from '../support/cli-process.js';
import { tempDir } from '../support/scheduler.js';

export const SCREENSHOTS = join(import.meta.dirname, '../../test-output/dashboard');

/** The demo jobs, faster: snapshots every second and marts every two, so charts and tables move within a test. */
export const FAST_JOBS = `jobs:
  - id: DATA_account_summary_1_minute
    func: DATA_account_summary_1_minute:run
    trigger: cron
    second: "*"
    kwargs: { concurrency: 16, timeout_seconds: 5 }
  - id: MART_portfolio_performance
    func: MART_portfolio_performance:run
    trigger: cron
    second: "*/2"
  - id: MART_master_portfolio_performance
    func: MART_master_portfolio_performance:run
    trigger: cron
    second: "*/2"
  - id: OP_refill_portfolio_performance
    func: OP_refill_portfolio_performance:run
    trigger: date
    run_date: "2099-01-01T00:00:00Z"
    kwargs: { start_time: null, end_time: null }
`;

export interface Dashboard {
  readonly kairos: RunningKairos;
  readonly dir: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Calls the API directly (with the token, if any). */
  call<T = unknown>(method: string, path: string, token?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** A real Kairos (built CLI, demo data, embedded stores in a temp dir) and a headless Debian Chromium on it. */
export async function startDashboard(options: { jobs?: string; env?: Record<string, string>; token?: string; viewport?: { width: number; height: number } } = {}): Promise<Dashboard> {
  const dir = tempDir('dashboard');
  writeFileSync(join(dir, 'jobs.yaml'), options.jobs ?? FAST_JOBS);
  const kairos = await startKairos({ KAIROS_JOBS_FILE: join(dir, 'jobs.yaml'), KAIROS_LOG_LEVEL: 'warn', ...options.env }, dir);
  const browser = await chromium
    .launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
    .catch(async (error: unknown) => {
      // Without a browser the test fails; the server it started must not outlive it.
      kairos.child.kill('SIGTERM');
      await kairos.exited;
      throw error;
    });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1366, height: 900 } });
  // The dashboard must never leave its origin (fonts, libraries and data are all local).
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(kairos.url) && !request.url().startsWith(kairos.url.replace('http', 'ws')) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    kairos,
    dir,
    browser,
    page,
    async call<T>(method: string, path: string, token = options.token) {
      const response = await fetch(kairos.url + path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: response.status, body: (await response.json()) as T };
    },
    async close() {
      await browser.close();
      kairos.child.kill('SIGTERM');
      await kairos.exited;
      if (foreign.length) throw new Error(`the dashboard made external requests: ${foreign.join(', ')}`);
    },
  };
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
