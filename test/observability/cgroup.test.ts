import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parseKeyValues,
  parseProcCgroup,
  parseV1CpuQuota,
  parseV1MemoryLimit,
  parseV2CpuMax,
  parseV2MemoryMax,
  readCgroup,
} from '../../src/observability/cgroup.js';

const fixtures = fileURLToPath(new URL('../fixtures/cgroup/', import.meta.url));
const tree = (name: string) => ({ procRoot: `${fixtures}${name}/proc`, cgroupRoot: `${fixtures}${name}/cgroup` });

describe('cgroup v2', () => {
  it('reads limits from the process cgroup, not the root', async () => {
    expect(await readCgroup(tree('v2-limited'))).toEqual({
      available: true,
      version: 2,
      memory_current: 123904000,
      memory_max: 536870912,
      cpu_quota: 150000,
      cpu_period: 100000,
      cpu_stat: { usage_usec: 4213000, user_usec: 3100000, system_usec: 1113000, nr_periods: 420, nr_throttled: 7, throttled_usec: 81234 },
      missing: [],
    });
  });

  it('maps "max" to null', async () => {
    expect(await readCgroup(tree('v2-unlimited'))).toMatchObject({
      available: true,
      version: 2,
      memory_current: 52428800,
      memory_max: null,
      cpu_quota: null,
      cpu_period: 100000,
      cpu_stat: { usage_usec: 900, user_usec: 600, system_usec: 300 },
      missing: [],
    });
  });

  it('reports the root cgroup as unavailable', async () => {
    const info = await readCgroup(tree('v2-root'));
    expect(info.available).toBe(false);
    expect(info).toHaveProperty('reason', expect.stringContaining('root cgroup'));
  });
});

describe('cgroup v1', () => {
  it('falls back to the hierarchy root when the /proc path is the host view, and reads co-mounted cpu,cpuacct', async () => {
    expect(await readCgroup(tree('v1-limited'))).toEqual({
      available: true,
      version: 1,
      memory_current: 73400320,
      memory_max: 268435456,
      cpu_quota: 50000,
      cpu_period: 100000,
      cpu_stat: { nr_periods: 120, nr_throttled: 3, throttled_time: 45000000, usage_usec: 2500000 },
      missing: [],
    });
  });

  it('maps the unlimited sentinels to null and prefers the nested memory cgroup', async () => {
    expect(await readCgroup(tree('v1-unlimited'))).toEqual({
      available: true,
      version: 1,
      memory_current: 2813952,
      memory_max: null,
      cpu_quota: null,
      cpu_period: 100000,
      cpu_stat: { nr_periods: 0, nr_throttled: 0, throttled_time: 0, nr_bursts: 0, burst_time: 0, usage_usec: 243969969 },
      missing: [],
    });
  });

  it('lists missing files instead of failing', async () => {
    expect(await readCgroup(tree('v1-partial'))).toEqual({
      available: true,
      version: 1,
      memory_current: 4096,
      memory_max: null,
      cpu_quota: null,
      cpu_period: null,
      cpu_stat: {},
      missing: ['memory/memory.limit_in_bytes', 'cpu/cpu.cfs_quota_us', 'cpu/cpu.cfs_period_us', 'cpu/cpu.stat', 'cpuacct/cpuacct.usage'],
    });
  });
});

describe('outside any cgroup', () => {
  it('is unavailable when nothing is mounted, and does not throw', async () => {
    const info = await readCgroup({ procRoot: `${fixtures}nope/proc`, cgroupRoot: `${fixtures}nope/cgroup` });
    expect(info).toEqual({ available: false, reason: expect.stringContaining('no cgroup hierarchy') });
  });
});

describe('parsers', () => {
  it('parses /proc/self/cgroup lines of both versions', () => {
    expect(parseProcCgroup('4:cpu,cpuacct:/docker/ab\n0::/user.slice\n\n1:name=systemd:/\n')).toEqual([
      { hierarchyId: 4, controllers: ['cpu', 'cpuacct'], path: '/docker/ab' },
      { hierarchyId: 0, controllers: [], path: '/user.slice' },
      { hierarchyId: 1, controllers: ['name=systemd'], path: '/' },
    ]);
  });

  it('parses limits and their unlimited forms', () => {
    expect(parseV1MemoryLimit('9223372036854771712\n')).toBeNull();
    // 64 KiB pages give another sentinel.
    expect(parseV1MemoryLimit('9223372036854710272')).toBeNull();
    expect(parseV1MemoryLimit('1073741824')).toBe(1073741824);
    expect(parseV2MemoryMax('max\n')).toBeNull();
    expect(parseV2MemoryMax('1073741824\n')).toBe(1073741824);
    expect(parseV2CpuMax('max 100000\n')).toEqual({ quota: null, period: 100000 });
    expect(parseV2CpuMax('200000 100000')).toEqual({ quota: 200000, period: 100000 });
    expect(parseV1CpuQuota('-1\n')).toBeNull();
    expect(parseV1CpuQuota('25000')).toBe(25000);
  });

  it('keeps only well-formed numeric key/value lines', () => {
    expect(parseKeyValues('a 1\nb x\nc 2 3\n\nd 4\n')).toEqual({ a: 1, d: 4 });
  });
});
