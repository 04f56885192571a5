import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSystemMetricsCollector,
  parseMeminfo,
  parseProcCmdline,
  parseProcStat,
  parseStatusThreads,
  type SystemMetricsCollector,
} from '../../src/observability/system-metrics.js';

let collector: SystemMetricsCollector | undefined;
afterEach(() => collector?.close());

function busyFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // Burn CPU and block the event loop on purpose.
  }
}

describe('collect() on this machine', () => {
  it('samples the event loop only while collected: after a pause without reads the next read starts over', async () => {
    collector = createSystemMetricsCollector({ loopDelayIdleStopMs: 100 });
    expect((await collector.collect()).process.event_loop_delay_ms).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await collector.collect()).process.event_loop_delay_ms).not.toBeNull();
    // 300 ms without a read: sampling stopped, so this read has no window and restarts it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await collector.collect()).process.event_loop_delay_ms).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await collector.collect()).process.event_loop_delay_ms).not.toBeNull();
  });

  it('returns sane figures in the documented shape', async () => {
    collector = createSystemMetricsCollector();
    const first = await collector.collect();
    // Sampling starts with the first read: it has no window yet.
    expect(first.process.event_loop_delay_ms).toBeNull();
    busyFor(120);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await collector.collect();

    expect(Date.parse(second.collected_at)).toBeGreaterThanOrEqual(Date.parse(first.collected_at));
    const p = second.process;
    expect(p.pid).toBe(process.pid);
    // The busy loop was most of the interval; a loaded CI machine still gives this process a good share.
    expect(p.cpu_percent).toBeGreaterThan(10);
    expect(p.memory_bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(p.memory_percent).toBeGreaterThan(0);
    expect(p.memory_percent).toBeLessThan(100);
    expect(p.threads).toBeGreaterThanOrEqual(1);
    expect(p.open_files).toBeGreaterThanOrEqual(3);
    expect(p.cmdline.length).toBeGreaterThan(0);
    expect(p.cmdline[0]).toMatch(/node/);
    expect(Date.parse(p.create_time)).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - Date.parse(p.create_time)).toBeLessThan(24 * 3600 * 1000);
    // The 120 ms block delayed the monitor's timer by roughly that much.
    expect(p.event_loop_delay_ms?.max).toBeGreaterThan(50);
    expect(p.event_loop_delay_ms?.p50).toBeGreaterThanOrEqual(0);

    const s = second.system;
    expect(s.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(s.cpu_percent).toBeLessThanOrEqual(100);
    expect(s.load_average).toHaveLength(3);
    expect(s.memory_total).toBeGreaterThan(s.memory_available);
    expect(s.memory_used).toBe(s.memory_total - s.memory_available);
    expect(s.memory_percent).toBeGreaterThan(0);
    expect(s.memory_percent).toBeLessThan(100);
    expect(s.swap_total).toBeGreaterThanOrEqual(0);
    expect(s.swap_percent).toBeGreaterThanOrEqual(0);

    // Whatever this host runs, the cgroup answer is well-formed and collect() did not throw.
    if (second.cgroup.available) {
      expect([1, 2]).toContain(second.cgroup.version);
      expect(Array.isArray(second.cgroup.missing)).toBe(true);
    } else {
      expect(second.cgroup.reason).toEqual(expect.any(String));
    }
    expect(JSON.parse(JSON.stringify(second))).toEqual(second);
  });
});

describe('collect() against a fixture /proc', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('measures system CPU since boot first, then between calls, and reads memory, swap, threads, fds, cmdline', async () => {
    root = await mkdtemp(join(tmpdir(), 'kairos-proc-'));
    await mkdir(join(root, 'self', 'fd'), { recursive: true });
    for (const fd of ['0', '1', '2', '7']) await writeFile(join(root, 'self', 'fd', fd), '');
    await writeFile(join(root, 'self', 'status'), 'Name:\tnode\nThreads:\t11\n');
    await writeFile(join(root, 'self', 'cmdline'), 'node\0bin/kairos.js\0--token\0abc\0');
    await writeFile(join(root, 'meminfo'), 'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\nSwapTotal: 400 kB\nSwapFree: 300 kB\n');
    // busy 300 of 1000 ticks since boot
    await writeFile(join(root, 'stat'), 'cpu  200 0 100 600 100 0 0 0 0 0\ncpu0 1 1 1 1\n');

    collector = createSystemMetricsCollector({ procRoot: root, cgroupRoot: join(root, 'no-cgroup') });
    const first = await collector.collect();
    expect(first.system).toMatchObject({
      cpu_percent: 30,
      memory_total: 1024000,
      memory_available: 256000,
      memory_used: 768000,
      memory_percent: 75,
      swap_total: 409600,
      swap_used: 102400,
      swap_percent: 25,
    });
    expect(first.process).toMatchObject({ threads: 11, open_files: 4, cmdline: ['node', 'bin/kairos.js', '--token', '***'] });
    expect(first.cgroup).toEqual({ available: false, reason: expect.any(String) });

    // +100 ticks, 80 of them busy
    await writeFile(join(root, 'stat'), 'cpu  260 0 120 620 100 0 0 0 0 0\n');
    expect((await collector.collect()).system.cpu_percent).toBe(80);
  });

  it('reports null where /proc has nothing', async () => {
    root = await mkdtemp(join(tmpdir(), 'kairos-proc-'));
    collector = createSystemMetricsCollector({ procRoot: root, cgroupRoot: root });
    const metrics = await collector.collect();
    expect(metrics.process).toMatchObject({ threads: null, open_files: null });
    expect(metrics.process.cmdline.length).toBeGreaterThan(0);
    expect(metrics.system).toMatchObject({ cpu_percent: null, swap_total: null, swap_used: null, swap_percent: null });
    expect(metrics.system.memory_total).toBeGreaterThan(0);
  });
});

describe('/proc parsers', () => {
  it('leaves guest time out of the total and counts iowait as idle', () => {
    expect(parseProcStat('cpu  10 5 5 70 10 0 0 0 7 3\n')).toEqual({ busy: 20, total: 100 });
    expect(parseProcStat('intr 1 2\n')).toBeNull();
  });

  it('parses meminfo in bytes', () => {
    expect(parseMeminfo('MemTotal:       24683792 kB\nHugePages_Total:       0\nActive(anon): 2 kB\n')).toEqual({
      MemTotal: 24683792 * 1024,
      HugePages_Total: 0,
      'Active(anon)': 2048,
    });
  });

  it('parses threads and the NUL-separated command line', () => {
    expect(parseStatusThreads('Name:\tnode\nThreads:\t7\nVmRSS:\t1 kB\n')).toBe(7);
    expect(parseStatusThreads('Name:\tnode\n')).toBeNull();
    expect(parseProcCmdline('node\0a b\0\0')).toEqual(['node', 'a b', '']);
  });
});
