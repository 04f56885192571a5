import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSystemResources, diskUsage, NOT_FOUND, parseMounts, resolveDiskTarget } from '../../src/observability/disk-usage.js';

const fixtures = fileURLToPath(new URL('../fixtures/cgroup/', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kairos-disk-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('diskUsage', () => {
  it('measures the filesystem of a temp dir', async () => {
    const usage = await diskUsage(dir);
    expect(usage.path).toBe(dir);
    expect(usage.total).toBeGreaterThan(0);
    expect(usage.used).toBeGreaterThanOrEqual(0);
    expect(usage.free).toBeGreaterThan(0);
    // Reserved blocks are neither used nor free.
    expect(usage.used + usage.free).toBeLessThanOrEqual(usage.total);
    expect(usage.percent).toBeGreaterThanOrEqual(0);
    expect(usage.percent).toBeLessThanOrEqual(100);
    expect(usage.percent).toBeCloseTo((usage.used / (usage.used + usage.free)) * 100, 0);
  });

  it('rejects for a missing path', async () => {
    await expect(diskUsage(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('mounts', () => {
  const mounts = parseMounts(
    'overlay / overlay rw 0 0\n/dev/vda /data ext4 rw 0 0\n/dev/vdb /mnt/my\\040disk ext4 rw 0 0\n/dev/vda /srv ext4 rw 0 0\n',
  );

  it('unescapes mount points', () => {
    expect(mounts[2]).toEqual({ device: '/dev/vdb', mountPoint: '/mnt/my disk' });
  });

  it('resolves a device to its last mount and a path to the mount holding it', () => {
    expect(resolveDiskTarget('/dev/vda', mounts)).toEqual({ path: '/srv', mountPoint: '/srv' });
    expect(resolveDiskTarget('/data/x/y', mounts)).toEqual({ path: '/data/x/y', mountPoint: '/data' });
    expect(resolveDiskTarget('/database', mounts)).toEqual({ path: '/database', mountPoint: '/' });
    expect(resolveDiskTarget('/dev/nvme0n1p1', mounts)).toBeNull();
    expect(resolveDiskTarget('relative', mounts)).toBeNull();
  });
});

describe('collectSystemResources', () => {
  const now = () => new Date('2026-12-04T16:03:38.052Z');

  it('answers the original device/docker shapes beside disk and container', async () => {
    const body = await collectSystemResources({ target: dir, now, ...cgroupTree('v2-unlimited') });
    expect(body.collected_at).toBe('2026-12-04T16:03:38.052Z');
    expect(body.disk).toMatchObject({ available: true, path: dir, total: expect.any(Number), percent: expect.any(Number) });
    expect(body.device).toEqual({
      available: true,
      device: dir,
      mount_point: expect.any(String),
      total_bytes: expect.any(Number),
      used_bytes: expect.any(Number),
      free_bytes: expect.any(Number),
      percent: expect.any(Number),
    });
    expect(body.docker).toEqual({ available: false, error: expect.any(String) });
    expect(body.container).toMatchObject({ available: true, version: 2, memory_max: null });
  });

  it('keeps the original error token for an unknown device or path', async () => {
    for (const target of ['/dev/nvme0n1p1', join(dir, 'missing')]) {
      const body = await collectSystemResources({ target, now });
      expect(body.device).toEqual({ available: false, device: target, error: NOT_FOUND });
      expect(body.disk).toEqual({ available: false, path: target, error: NOT_FOUND });
    }
  });
});

function cgroupTree(name: string) {
  return { procRoot: `${fixtures}${name}/proc`, cgroupRoot: `${fixtures}${name}/cgroup` };
}
