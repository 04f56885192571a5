/**
 * Reads the resource limits and usage of the cgroup this process runs in, for cgroup v2
 * (unified hierarchy) and v1 (one hierarchy per controller) alike.
 *
 * The original service assumed v2 and answered 500 on v1 hosts. Here nothing throws: a file
 * that cannot be read becomes `null` plus an entry in `missing`, and when no limit or usage
 * file can be read at all the answer is `{available: false, reason}`.
 *
 * Which cgroup: the path comes from `<procRoot>/self/cgroup`. A container without its own
 * cgroup namespace sees the host's path there (`/docker/<id>`) while its own cgroup is
 * mounted as the hierarchy root, so each file is looked up first under that path, then at
 * the root of the hierarchy.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface CgroupOptions {
  /** @default '/proc' */
  procRoot?: string;
  /** @default '/sys/fs/cgroup' */
  cgroupRoot?: string;
}

export type CgroupInfo = CgroupUnavailable | CgroupFigures;

export interface CgroupUnavailable {
  available: false;
  reason: string;
}

export interface CgroupFigures {
  available: true;
  version: 1 | 2;
  /** Bytes charged to the cgroup (v2 memory.current, v1 memory.usage_in_bytes). */
  memory_current: number | null;
  /** Memory limit in bytes; null when unlimited (or unreadable: see `missing`). */
  memory_max: number | null;
  /** CPU time allowed per period, in microseconds; null when unlimited. */
  cpu_quota: number | null;
  /** Length of a CPU quota period, in microseconds. */
  cpu_period: number | null;
  /**
   * Key/value pairs of cpu.stat as the kernel writes them. v2: usage_usec, user_usec,
   * system_usec, nr_periods, nr_throttled, throttled_usec... v1: nr_periods, nr_throttled,
   * throttled_time (nanoseconds), plus usage_usec derived from cpuacct.usage so the usage
   * key reads the same on both versions.
   */
  cpu_stat: Record<string, number>;
  /** Files that could not be read, relative to the hierarchy (e.g. `memory/memory.limit_in_bytes`). */
  missing: string[];
}

/** One line of /proc/self/cgroup: `hierarchy-id:controller,list:path` (v2: `0::path`). */
export interface ProcCgroupEntry {
  hierarchyId: number;
  controllers: string[];
  path: string;
}

export function parseProcCgroup(content: string): ProcCgroupEntry[] {
  const entries: ProcCgroupEntry[] = [];
  for (const line of content.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    entries.push({
      hierarchyId: Number(match[1]),
      controllers: match[2] === '' ? [] : match[2]!.split(','),
      path: match[3]!,
    });
  }
  return entries;
}

/** Parses flat keyed files such as cpu.stat (`key value` per line). */
export function parseKeyValues(content: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const line of content.split('\n')) {
    const [key, value, ...rest] = line.trim().split(/\s+/);
    if (!key || value === undefined || rest.length > 0) continue;
    const parsed = Number(value);
    if (Number.isFinite(parsed)) result[key] = parsed;
  }
  return result;
}

/**
 * v1 reports "no limit" as the largest page-aligned signed 64-bit value
 * (9223372036854771712 with 4 KiB pages, other values with other page sizes), which a
 * JavaScript number cannot even hold exactly. Anything at or above 2^62 is treated as
 * unlimited: no machine has that much memory.
 */
const V1_UNLIMITED_THRESHOLD = 2n ** 62n;

export function parseV1MemoryLimit(content: string): number | null {
  const text = content.trim();
  if (!/^\d+$/.test(text)) return null;
  return BigInt(text) >= V1_UNLIMITED_THRESHOLD ? null : Number(text);
}

/** v2 memory.max: a byte count or `max`. */
export function parseV2MemoryMax(content: string): number | null {
  const text = content.trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** v2 cpu.max: `<quota|max> <period>`. */
export function parseV2CpuMax(content: string): { quota: number | null; period: number | null } {
  const [quota, period] = content.trim().split(/\s+/);
  return {
    quota: quota !== undefined && /^\d+$/.test(quota) ? Number(quota) : null,
    period: period !== undefined && /^\d+$/.test(period) ? Number(period) : null,
  };
}

/** v1 cpu.cfs_quota_us: microseconds, `-1` when unlimited. */
export function parseV1CpuQuota(content: string): number | null {
  const value = parseInteger(content);
  return value === null || value < 0 ? null : value;
}

function parseInteger(content: string): number | null {
  const text = content.trim();
  return /^-?\d+$/.test(text) ? Number(text) : null;
}

/** Reads the cgroup figures of this process; never throws. */
export async function readCgroup(options: CgroupOptions = {}): Promise<CgroupInfo> {
  const procRoot = options.procRoot ?? '/proc';
  const cgroupRoot = options.cgroupRoot ?? '/sys/fs/cgroup';
  // Without /proc/self/cgroup (not Linux, or /proc hidden) only the hierarchy roots are tried.
  const entries = parseProcCgroup((await readOptional(join(procRoot, 'self', 'cgroup'))) ?? '');

  if (await exists(join(cgroupRoot, 'cgroup.controllers'))) {
    return readV2(cgroupRoot, entries);
  }
  if ((await exists(join(cgroupRoot, 'memory'))) || (await exists(join(cgroupRoot, 'cpu')))) {
    return readV1(cgroupRoot, entries);
  }
  return { available: false, reason: `no cgroup hierarchy mounted at ${cgroupRoot}` };
}

async function readV2(cgroupRoot: string, entries: ProcCgroupEntry[]): Promise<CgroupInfo> {
  const unified = entries.find((entry) => entry.hierarchyId === 0 && entry.controllers.length === 0);
  const dirs = candidateDirs(cgroupRoot, unified?.path);
  const missing: string[] = [];
  const read = async (file: string): Promise<string | null> => {
    const content = await readFirst(dirs, file);
    if (content === null) missing.push(file);
    return content;
  };

  const current = await read('memory.current');
  const max = await read('memory.max');
  const cpuMax = await read('cpu.max');
  const cpuStat = await read('cpu.stat');

  // The root cgroup has no memory.* or cpu.max files: the process is not confined by a cgroup.
  if (current === null && max === null && cpuMax === null) {
    return { available: false, reason: 'no cgroup v2 memory or cpu files for this process (root cgroup)' };
  }
  const cpu = cpuMax === null ? { quota: null, period: null } : parseV2CpuMax(cpuMax);
  return {
    available: true,
    version: 2,
    memory_current: current === null ? null : parseInteger(current),
    memory_max: max === null ? null : parseV2MemoryMax(max),
    cpu_quota: cpu.quota,
    cpu_period: cpu.period,
    cpu_stat: cpuStat === null ? {} : parseKeyValues(cpuStat),
    missing,
  };
}

/** v1 mounts each controller on its own directory, some co-mounted under a joined name. */
const V1_CONTROLLER_DIRS: Record<'memory' | 'cpu' | 'cpuacct', string[]> = {
  memory: ['memory'],
  cpu: ['cpu', 'cpu,cpuacct', 'cpuacct,cpu'],
  cpuacct: ['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu'],
};

async function readV1(cgroupRoot: string, entries: ProcCgroupEntry[]): Promise<CgroupInfo> {
  const missing: string[] = [];
  const read = async (controller: keyof typeof V1_CONTROLLER_DIRS, file: string): Promise<string | null> => {
    const path = entries.find((entry) => entry.controllers.includes(controller))?.path;
    const dirs = V1_CONTROLLER_DIRS[controller].flatMap((name) => candidateDirs(join(cgroupRoot, name), path));
    const content = await readFirst(dirs, file);
    if (content === null) missing.push(`${controller}/${file}`);
    return content;
  };

  const usage = await read('memory', 'memory.usage_in_bytes');
  const limit = await read('memory', 'memory.limit_in_bytes');
  const quota = await read('cpu', 'cpu.cfs_quota_us');
  const period = await read('cpu', 'cpu.cfs_period_us');
  const cpuStat = await read('cpu', 'cpu.stat');
  const cpuacctUsage = await read('cpuacct', 'cpuacct.usage');

  if (usage === null && limit === null && quota === null && period === null) {
    return { available: false, reason: 'no cgroup v1 memory or cpu files for this process' };
  }
  const stat = cpuStat === null ? {} : parseKeyValues(cpuStat);
  const usageNs = cpuacctUsage === null ? null : parseInteger(cpuacctUsage);
  if (usageNs !== null && stat.usage_usec === undefined) stat.usage_usec = Math.round(usageNs / 1000);
  return {
    available: true,
    version: 1,
    memory_current: usage === null ? null : parseInteger(usage),
    memory_max: limit === null ? null : parseV1MemoryLimit(limit),
    cpu_quota: quota === null ? null : parseV1CpuQuota(quota),
    cpu_period: period === null ? null : parseInteger(period),
    cpu_stat: stat,
    missing,
  };
}

/** The process's own cgroup directory first, then the hierarchy root (see the module comment). */
function candidateDirs(hierarchyRoot: string, cgroupPath: string | undefined): string[] {
  if (cgroupPath === undefined || cgroupPath === '/' || cgroupPath === '') return [hierarchyRoot];
  return [join(hierarchyRoot, cgroupPath), hierarchyRoot];
}

async function readFirst(dirs: string[], file: string): Promise<string | null> {
  for (const dir of dirs) {
    const content = await readOptional(join(dir, file));
    if (content !== null) return content;
  }
  return null;
}

/** Missing, unreadable or vanished files are expected here (other OS, hidden /sys): null, not an error. */
export async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
