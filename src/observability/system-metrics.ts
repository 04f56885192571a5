/**
 * `/system/metrics`: figures of this process, of the host and of the cgroup (SPEC 10).
 *
 * CPU percentages are measured between consecutive `collect()` calls of one collector. The first
 * call measures since the process started (process) and since boot (system). psutil, which the
 * original used, returns a meaningless 0.0 on its first interval-less call instead.
 * - `process.cpu_percent` is a percentage of ONE core, as psutil's: a process busy on two cores
 *   reads 200.
 * - `system.cpu_percent` is a percentage of all cores (0..100).
 *
 * Each collect() moves the baseline, so two pollers of one collector shorten each other's
 * interval (as with psutil); the API holds one collector per process.
 *
 * Figures come from /proc (Linux) and node:os. A figure the platform does not expose is null.
 * Percentages are rounded to two decimals.
 */
import { readdir } from 'node:fs/promises';
import { loadavg, totalmem, freemem } from 'node:os';
import { join } from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { readCgroup, readOptional, type CgroupInfo } from './cgroup.js';
import { maskCmdline } from './cmdline-mask.js';

export interface SystemMetrics {
  collected_at: string;
  process: ProcessMetrics;
  system: HostMetrics;
  cgroup: CgroupInfo;
}

export interface ProcessMetrics {
  pid: number;
  cpu_percent: number;
  /** Resident set size in bytes. */
  memory_bytes: number;
  /** RSS as a percentage of the host's physical memory (not of the cgroup limit), as psutil. */
  memory_percent: number;
  threads: number | null;
  /** Open file descriptors of any kind (files, sockets, pipes), counted in /proc/self/fd. */
  open_files: number | null;
  /** The command line with secrets masked (see cmdline-mask.ts). */
  cmdline: string[];
  create_time: string;
  /**
   * How late the event loop ran a 10 ms timer, since the previous collect(). Null on the first
   * collect() and on one after five minutes without any: sampling runs only while collected.
   */
  event_loop_delay_ms: { p50: number; p99: number; max: number; mean: number } | null;
}

export interface HostMetrics {
  cpu_percent: number | null;
  load_average: [number, number, number];
  memory_total: number;
  memory_available: number;
  /** total - available: memory that cannot be reclaimed (unlike psutil's `used`, it adds up with percent). */
  memory_used: number;
  memory_percent: number;
  swap_total: number | null;
  swap_used: number | null;
  swap_percent: number | null;
}

export interface SystemMetricsOptions {
  /** @default '/proc' */
  procRoot?: string;
  /** @default '/sys/fs/cgroup' */
  cgroupRoot?: string;
  /** Event-loop sampling stops after this long without a collect(). @default 300000 (5 minutes) */
  loopDelayIdleStopMs?: number;
}

export interface SystemMetricsCollector {
  collect(): Promise<SystemMetrics>;
  /** Stops the event-loop delay sampler. */
  close(): void;
}

/** Aggregate CPU times from the first line of /proc/stat, in clock ticks. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * Parses the `cpu` line of /proc/stat. guest and guest_nice are already counted in user and
 * nice, so they are left out of the total; iowait counts as idle, as psutil does.
 */
export function parseProcStat(content: string): CpuTimes | null {
  const line = content.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/** Parses /proc/meminfo into bytes per key (the kernel writes kB, meaning KiB). */
export function parseMeminfo(content: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const line of content.split('\n')) {
    const match = /^([\w()]+):\s+(\d+)(\s+kB)?/.exec(line);
    if (match) result[match[1]!] = Number(match[2]) * (match[3] ? 1024 : 1);
  }
  return result;
}

/** The `Threads:` count of /proc/self/status. */
export function parseStatusThreads(content: string): number | null {
  const match = /^Threads:\s+(\d+)/m.exec(content);
  return match ? Number(match[1]) : null;
}

/** /proc/self/cmdline: NUL-separated arguments, usually NUL-terminated. */
export function parseProcCmdline(content: string): string[] {
  const args = content.split('\0');
  if (args.at(-1) === '') args.pop();
  return args;
}

/** Percentage of `part` over `whole`, two decimals; 0 for an empty whole. */
function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10000) / 100 : 0;
}

export function createSystemMetricsCollector(options: SystemMetricsOptions = {}): SystemMetricsCollector {
  const procRoot = options.procRoot ?? '/proc';
  const cgroupRoot = options.cgroupRoot ?? '/sys/fs/cgroup';
  const loopDelay = createLoopDelaySampler(10, options.loopDelayIdleStopMs);

  // Baselines for the next measurement: the process started with no CPU used, the host at boot with none.
  let previousProcess = { cpuMicros: 0, wallMillis: performance.timeOrigin };
  let previousHost: CpuTimes = { busy: 0, total: 0 };

  async function collectProcess(memoryTotal: number): Promise<ProcessMetrics> {
    const usage = process.cpuUsage();
    const current = { cpuMicros: usage.user + usage.system, wallMillis: Date.now() };
    const cpuPercent = percent(current.cpuMicros - previousProcess.cpuMicros, (current.wallMillis - previousProcess.wallMillis) * 1000);
    previousProcess = current;

    const rss = process.memoryUsage.rss();
    const status = await readOptional(join(procRoot, 'self', 'status'));
    const cmdline = await readOptional(join(procRoot, 'self', 'cmdline'));
    return {
      pid: process.pid,
      cpu_percent: cpuPercent,
      memory_bytes: rss,
      memory_percent: percent(rss, memoryTotal),
      threads: status === null ? null : parseStatusThreads(status),
      open_files: await countOpenFiles(procRoot),
      // Outside Linux, argv is the best available (it lacks node's own flags).
      cmdline: maskCmdline(cmdline === null ? [process.execPath, ...process.execArgv, ...process.argv.slice(1)] : parseProcCmdline(cmdline)),
      create_time: new Date(performance.timeOrigin).toISOString(),
      event_loop_delay_ms: loopDelay.take(),
    };
  }

  async function collectHost(): Promise<HostMetrics> {
    const stat = await readOptional(join(procRoot, 'stat'));
    const times = stat === null ? null : parseProcStat(stat);
    let cpuPercent: number | null = null;
    if (times !== null) {
      cpuPercent = percent(times.busy - previousHost.busy, times.total - previousHost.total);
      previousHost = times;
    }

    const meminfoText = await readOptional(join(procRoot, 'meminfo'));
    const meminfo = meminfoText === null ? {} : parseMeminfo(meminfoText);
    // node:os reads the same MemTotal/MemAvailable on Linux and has equivalents elsewhere; swap it lacks.
    const memoryTotal = meminfo.MemTotal ?? totalmem();
    const memoryAvailable = meminfo.MemAvailable ?? freemem();
    const swapTotal = meminfo.SwapTotal ?? null;
    const swapUsed = swapTotal === null || meminfo.SwapFree === undefined ? null : swapTotal - meminfo.SwapFree;
    const [one = 0, five = 0, fifteen = 0] = loadavg();
    return {
      cpu_percent: cpuPercent,
      load_average: [one, five, fifteen],
      memory_total: memoryTotal,
      memory_available: memoryAvailable,
      memory_used: memoryTotal - memoryAvailable,
      memory_percent: percent(memoryTotal - memoryAvailable, memoryTotal),
      swap_total: swapTotal,
      swap_used: swapUsed,
      swap_percent: swapTotal === null || swapUsed === null ? null : percent(swapUsed, swapTotal),
    };
  }

  return {
    async collect() {
      const collectedAt = new Date().toISOString();
      const system = await collectHost();
      const processMetrics = await collectProcess(system.memory_total);
      const cgroup = await readCgroup({ procRoot, cgroupRoot });
      return { collected_at: collectedAt, process: processMetrics, system, cgroup };
    },
    close() {
      loopDelay.close();
    },
  };
}

/**
 * Samples event-loop delay with a repeating timer: each tick records how much later than
 * scheduled it ran. perf_hooks.monitorEventLoopDelay does the same natively but reports the
 * interval itself (an idle loop reads 10 ms) and, once reset, drops its first interval, so a
 * block right after a collect() would vanish; here the sampling clock runs on across windows
 * and only the histogram is swapped. Sampling runs only while someone reads: it starts at the
 * first take() and stops after `idleStopMs` without one, so an unwatched instance does not
 * wake up a hundred times a second (about 1 % of a core).
 */
function createLoopDelaySampler(resolutionMs = 10, idleStopMs = 300_000): { take(): ProcessMetrics['event_loop_delay_ms']; close(): void } {
  let histogram = createHistogram();
  let timer: NodeJS.Timeout | null = null;
  let lastTick = 0;
  let lastTake = 0;

  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const start = (): void => {
    lastTick = performance.now();
    timer = setInterval(() => {
      const now = performance.now();
      if (now - lastTake > idleStopMs) return stop();
      // The histogram takes positive integers: nanoseconds, at least 1.
      histogram.record(Math.max(1, Math.round((now - lastTick - resolutionMs) * 1e6)));
      lastTick = now;
    }, resolutionMs);
    // Sampling must never keep the process alive.
    timer.unref();
  };

  return {
    take() {
      lastTake = performance.now();
      const window = histogram;
      histogram = createHistogram();
      // Not sampling (first read, or nobody read for a while): what the old histogram holds is stale.
      if (!timer) {
        start();
        return null;
      }
      if (window.count === 0) return null;
      const toMs = (nanos: number): number => Math.round(nanos / 1000) / 1000;
      return { p50: toMs(window.percentile(50)), p99: toMs(window.percentile(99)), max: toMs(window.max), mean: toMs(window.mean) };
    },
    close: stop,
  };
}

async function countOpenFiles(procRoot: string): Promise<number | null> {
  try {
    return (await readdir(join(procRoot, 'self', 'fd'))).length;
  } catch {
    return null;
  }
}
