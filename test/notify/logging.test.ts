import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DiscordLogHandler } from '../../src/notify/discord-log-handler.js';
import { DiscordWebhook } from '../../src/notify/discord-webhook.js';
import { DiscordWorker } from '../../src/notify/discord-worker.js';
import { createLogging, type Logging } from '../../src/observability/logging/create-logging.js';
import { RollingLogFiles } from '../../src/observability/logging/rolling-log-files.js';
import { DiscordTestServer } from '../support/discord-server.js';

let discord: DiscordTestServer;
beforeAll(async () => {
  discord = await DiscordTestServer.start();
});
afterAll(() => discord.close());

const logDir = () => mkdtempSync(join(tmpdir(), 'kairos-logs-'));
const filesUnder = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.log')).sort();
const linesOf = (dir: string, prefix: string) =>
  filesUnder(dir)
    .filter((f) => f.startsWith(prefix))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
/** Real writes spread over time; give the background flush turns. */
const aTurn = () => new Promise((resolve) => setTimeout(resolve, 2));

describe('createLogging', () => {
  test('application, error-only and per-job files; run lines carry jobId and runId', async () => {
    const dir = logDir();
    const logging = createLogging({ dir, console: 'off', level: 'debug' });
    logging.logger.info('started');
    const run = logging.forRun({ jobId: 'DATA_account_summary_1_minute', runId: 'r-1' });
    run.logger.debug({ portfolios: 3 }, 'fetching');
    run.logger.child({ portfolio: 'p1' }).error(new Error('exchange down'), 'snapshot failed');
    run.logger.critical('warehouse unreachable');
    logging.logger.warn('not an error');
    await logging.close();

    expect(filesUnder(dir)).toEqual([
      expect.stringMatching(/^app\/app\.\d{4}-\d\d-\d\d\.1\.log$/),
      expect.stringMatching(/^error\/error\.\d{4}-\d\d-\d\d\.1\.log$/),
      expect.stringMatching(/^jobs\/DATA_account_summary_1_minute\/DATA_account_summary_1_minute\.\d{4}-\d\d-\d\d-\d\d\.1\.log$/),
    ]);
    expect(linesOf(dir, 'app/').map((l) => l['msg'])).toEqual([
      'started', 'fetching', 'snapshot failed', 'warehouse unreachable', 'not an error',
    ]);
    expect(linesOf(dir, 'error/').map((l) => [l['msg'], l['level']])).toEqual([
      ['snapshot failed', 50],
      ['warehouse unreachable', 55],
    ]);
    const jobLines = linesOf(dir, 'jobs/');
    expect(jobLines.map((l) => l['msg'])).toEqual(['fetching', 'snapshot failed', 'warehouse unreachable']);
    expect(jobLines.every((l) => l['jobId'] === 'DATA_account_summary_1_minute' && l['runId'] === 'r-1')).toBe(true);
  });

  test('the engine\'s routine lines reach the tail and the application log, not the job\'s file', async () => {
    const dir = logDir();
    const logging = createLogging({ dir, console: 'off' });
    const quiet = logging.forRun({ jobId: 'quiet', runId: 'q' });
    quiet.lifecycle.info('run succeeded');
    const chatty = logging.forRun({ jobId: 'chatty', runId: 'c' });
    chatty.logger.info('working');
    chatty.lifecycle.info('run succeeded');
    await logging.close();

    expect(quiet.tail().map((l) => JSON.parse(l).msg)).toEqual(['run succeeded']);
    expect(chatty.tail().map((l) => JSON.parse(l).msg)).toEqual(['working', 'run succeeded']);
    expect(linesOf(dir, 'app/').map((l) => [l['jobId'], l['msg']])).toEqual([['quiet', 'run succeeded'], ['chatty', 'working'], ['chatty', 'run succeeded']]);
    expect(filesUnder(dir).filter((f) => f.startsWith('jobs/')).map((f) => f.split('/')[1])).toEqual(['chatty']);
    expect(linesOf(dir, 'jobs/').map((l) => l['msg'])).toEqual(['working']);
  });

  test('tail() keeps the run\'s last N lines only, and runs do not mix', async () => {
    const logging = createLogging({ dir: null, console: 'off', tailLines: 3 });
    const a = logging.forRun({ jobId: 'job', runId: 'a' });
    const b = logging.forRun({ jobId: 'job', runId: 'b' });
    for (let i = 1; i <= 5; i++) a.logger.info(`a${i}`);
    b.logger.info('b1');
    logging.logger.info('root only');
    expect(a.tail().map((l) => JSON.parse(l).msg)).toEqual(['a3', 'a4', 'a5']);
    expect(b.tail().map((l) => JSON.parse(l).msg)).toEqual(['b1']);
    await logging.close();
  });

  test('files rotate by size and keep only the configured count', async () => {
    const dir = logDir();
    const logging = createLogging({ dir, console: 'off', maxFileSize: '1k', retention: { app: 2, job: 2 } });
    const run = logging.forRun({ jobId: 'busy', runId: 'r' });
    for (let i = 0; i < 40; i++) {
      run.logger.info({ i, padding: 'x'.repeat(150) }, 'tick');
      await aTurn();
    }
    await logging.close();
    const app = filesUnder(dir).filter((f) => f.startsWith('app/'));
    const job = filesUnder(dir).filter((f) => f.startsWith('jobs/'));
    // Two kept besides the active file; a file is rotated after the write that crossed 1 KiB.
    // (A job's next file is created by its next line, so it may not exist yet.)
    expect(app.length === 2 || app.length === 3).toBe(true);
    expect(job.length === 2 || job.length === 3).toBe(true);
    expect(job.every((f) => /^jobs\/busy\/busy\.\d{4}-\d\d-\d\d-\d\d\.\d+\.log$/.test(f))).toBe(true);
    // The newest lines survive, the oldest went with the removed files.
    for (const prefix of ['app/', 'jobs/']) {
      const ticks = linesOf(dir, prefix).map((l) => l['i'] as number);
      expect(Math.max(...ticks)).toBe(39);
      expect(Math.min(...ticks)).toBeGreaterThan(0);
    }
  });

  test('a restarted process continues the hour\'s job file and keeps the retention', async () => {
    const dir = logDir();
    for (const session of [1, 2]) {
      const logging = createLogging({ dir, console: 'off', maxFileSize: '1k', retention: { job: 1 } });
      logging.forRun({ jobId: 'steady', runId: `r${session}` }).logger.info({ session }, 'hello');
      await logging.close();
    }
    expect(filesUnder(dir).filter((f) => f.startsWith('jobs/'))).toEqual([expect.stringMatching(/^jobs\/steady\/steady\.\S+\.1\.log$/)]);
    expect(linesOf(dir, 'jobs/').map((l) => l['session'])).toEqual([1, 2]);

    const logging = createLogging({ dir, console: 'off', maxFileSize: '1k', retention: { job: 1 } });
    const run = logging.forRun({ jobId: 'steady', runId: 'r3' });
    for (let i = 0; i < 30; i++) run.logger.info({ i, padding: 'x'.repeat(150) }, 'tick');
    await logging.close();
    const job = filesUnder(dir).filter((f) => f.startsWith('jobs/'));
    expect(job.length === 1 || job.length === 2).toBe(true);
    expect(Math.max(...linesOf(dir, 'jobs/').map((l) => (l['i'] as number | undefined) ?? -1))).toBe(29);
  });

  test('secrets are absent from every file and every Discord post', async () => {
    const dir = logDir();
    const { url, id, token } = discord.createWebhook();
    const worker = new DiscordWorker({ channel: 'process', poster: new DiscordWebhook({ url }), codeBlock: true });
    const logging = createLogging({ dir, console: 'off', forward: new DiscordLogHandler(worker) });
    const secrets = ['hunter2', 'k3y-abc', 's3cr3t-xyz', 'pa55', 'mongopw', token];
    const run = logging.forRun({ jobId: 'secrets', runId: 'r' });
    run.logger.info({ api_key: 'k3y-abc', exchange: { api_secret: 's3cr3t-xyz', password: 'hunter2' } }, 'credentials');
    run.logger.error({ webhook: url }, `posting to ${url} failed`);
    logging.logger.error(new Error('connect postgres://etl:pa55@db:5432/kairos failed'), 'store down');
    logging.logger.critical(`mongo at mongodb+srv://reader:mongopw@cluster0/x is gone; webhook ${url}`);
    await logging.close();
    await worker.close();

    const posts = discord.posts.filter((p) => p.webhookId === id).map((p) => JSON.stringify(p.body));
    const everything = [...filesUnder(dir).map((f) => readFileSync(join(dir, f), 'utf8')), ...posts].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).toContain('postgres://etl:[redacted]@db:5432/kairos');
    expect(everything).toContain('/api/webhooks/[redacted]');
    expect(posts.length).toBeGreaterThan(0);
  });

  test('only records at or above the handler level reach Discord, one line each with a trimmed stack', async () => {
    const { url, id } = discord.createWebhook();
    const worker = new DiscordWorker({ channel: 'process', poster: new DiscordWebhook({ url }), codeBlock: true });
    const logging: Logging = createLogging({ dir: null, console: 'off', forward: new DiscordLogHandler(worker, { stackFrames: 2 }) });
    const run = logging.forRun({ jobId: 'MART_portfolio_performance', runId: 'r9' });
    run.logger.info('fine');
    run.logger.warn('hmm');
    run.logger.error(new Error('boom'), 'mart failed');
    logging.logger.critical('scheduler stalled');
    await logging.close();
    await worker.close();

    const [post] = discord.posts.filter((p) => p.webhookId === id);
    const lines = post!.content.split('\n').slice(1, -1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ERROR \[MART_portfolio_performance\] mart failed \| Error: boom \| at [^|]+ \| at [^|]+$/,
    );
    expect(lines[1]).toMatch(/^\S+Z CRITICAL \[kairos\] scheduler stalled$/);
  });

  test('thousands of job ids (manual copies) share their job file and never exhaust file descriptors', async () => {
    const dir = logDir();
    const logging = createLogging({ dir, console: 'off' });
    const openFds = () => readdirSync('/proc/self/fd').length;
    const before = openFds();
    for (let i = 0; i < 300; i++) logging.forRun({ jobId: `job${i}`, runId: 'r' }).logger.info('hello');
    for (let i = 0; i < 50; i++) logging.forRun({ jobId: `job0__manual__${1_700_000_000_000 + i}`, runId: `m${i}` }).logger.info('manual');
    await logging.flush();
    expect(openFds() - before).toBeLessThan(100);
    expect(readdirSync(join(dir, 'jobs')).filter((d) => d.includes('manual'))).toEqual([]);
    await logging.close();
    const job0 = readdirSync(join(dir, 'jobs', 'job0')).map((f) => readFileSync(join(dir, 'jobs', 'job0', f), 'utf8')).join('');
    expect(job0.match(/"manual"/g)).toHaveLength(50);
  });

  test('a job id that cannot name a file is refused', () => {
    const logging = createLogging({ dir: logDir(), console: 'off' });
    expect(() => logging.forRun({ jobId: '..', runId: 'r' })).toThrow('job id ".." cannot name a log file');
    expect(logging.forRun({ jobId: '../escape', runId: 'r' }).tail()).toEqual([]);
  });
});

describe('RollingLogFiles', () => {
  test('holds at most maxPendingBytes while the disk is behind, reports the drops, and keeps what it took in order', async () => {
    const dir = logDir();
    const errors: string[] = [];
    const files = new RollingLogFiles({ dir, period: 'hour', keep: 2, maxBytes: 1 << 20, maxPendingBytes: 1_000, onError: (e) => errors.push(e.message) });
    const line = (i: number) => `${String(i).padStart(3, '0')} ${'x'.repeat(95)}\n`;
    for (let i = 0; i < 30; i++) files.write('busy', line(i));
    await files.close();
    const written = filesUnder(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
    expect(written).toEqual(Array.from({ length: 10 }, (_, i) => line(i).trimEnd()));
    expect(errors).toEqual([`log files in ${dir} are behind by 1000 bytes; dropping lines until they catch up`, `20 lines for ${dir} were dropped while the disk lagged`]);
  });
});
