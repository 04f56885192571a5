/**
 * Disk usage of a path and the `/system/resources` payload.
 *
 * Compatibility with the original's recorded answers (seed/responses/system_resources*.json):
 * it took `?device=` (a device such as `/dev/nvme0n1p1` or a mount point such as `/`) and
 * answered `{collected_at, device, docker}`. Kairos answers those two keys in the same shapes so
 * existing dashboards keep working, and adds:
 * - `disk`: the same figures under Kairos' names (`path`, `total`, `used`, `free`, `percent`);
 * - `container`: the cgroup figures of /system/metrics.
 * `docker` is always `{available: false, error}`: the original asked the Docker daemon, which
 * needs the daemon socket mounted into the container (root on the host); container figures
 * come from cgroups instead, under `container`.
 */
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { readCgroup, readOptional, type CgroupInfo } from './cgroup.js';

export interface DiskUsage {
  path: string;
  /** Size of the filesystem in bytes. */
  total: number;
  /** Bytes in use (blocks not free, reserved blocks excluded). */
  used: number;
  /** Bytes available to unprivileged users. */
  free: number;
  /** used / (used + free), as psutil and `df` compute it: reserved blocks do not count as free. */
  percent: number;
}

/** Usage of the filesystem holding `path`; rejects with the fs error when statfs fails. */
export async function diskUsage(path: string): Promise<DiskUsage> {
  const stats = await statfs(path);
  const total = stats.blocks * stats.bsize;
  const used = (stats.blocks - stats.bfree) * stats.bsize;
  const free = stats.bavail * stats.bsize;
  const usable = used + free;
  return { path, total, used, free, percent: usable === 0 ? 0 : Math.round((used / usable) * 1000) / 10 };
}

export interface Mount {
  device: string;
  mountPoint: string;
}

/** Parses /proc/self/mounts (fstab format: spaces, tabs and backslashes octal-escaped). */
export function parseMounts(content: string): Mount[] {
  const unescape = (field: string): string => field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return content
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 2)
    .map(([device, mountPoint]) => ({ device: unescape(device!), mountPoint: unescape(mountPoint!) }));
}

/**
 * What to measure for the original's `device` parameter: a mounted device resolves to its mount
 * point (the last one mounted wins, as it hides earlier ones); an absolute path is measured as
 * is and reported with the mount that holds it. Null when the device is not mounted.
 */
export function resolveDiskTarget(target: string, mounts: Mount[]): { path: string; mountPoint: string } | null {
  const byDevice = mounts.filter((mount) => mount.device === target).at(-1);
  if (byDevice) return { path: byDevice.mountPoint, mountPoint: byDevice.mountPoint };
  if (!target.startsWith('/') || target.startsWith('/dev/')) return null;
  const holder = mounts
    .filter((mount) => target === mount.mountPoint || target.startsWith(mount.mountPoint.endsWith('/') ? mount.mountPoint : `${mount.mountPoint}/`))
    .reduce<Mount | undefined>((best, mount) => (best && best.mountPoint.length >= mount.mountPoint.length ? best : mount), undefined);
  return { path: target, mountPoint: holder?.mountPoint ?? target };
}

/** The original's token for a device or path that does not exist; kept so clients can match it. */
export const NOT_FOUND = 'device_or_mount_not_found';

export type DiskReport = ({ available: true } & DiskUsage) | { available: false; path: string; error: string };

export type DeviceReport =
  | { available: true; device: string; mount_point: string; total_bytes: number; used_bytes: number; free_bytes: number; percent: number }
  | { available: false; device: string; error: string };

export interface SystemResources {
  collected_at: string;
  disk: DiskReport;
  device: DeviceReport;
  docker: { available: false; error: string };
  container: CgroupInfo;
}

export interface SystemResourcesOptions {
  /** Device or absolute path to measure (the original's `?device=`). @default '/' */
  target?: string;
  /** @default '/proc' */
  procRoot?: string;
  /** @default '/sys/fs/cgroup' */
  cgroupRoot?: string;
  /** @default () => new Date() */
  now?: () => Date;
}

export const DOCKER_NOT_QUERIED = 'not queried: Kairos reads container figures from cgroups, see `container`';

/** Builds the `/system/resources` payload; never throws. */
export async function collectSystemResources(options: SystemResourcesOptions = {}): Promise<SystemResources> {
  const target = options.target ?? '/';
  const procRoot = options.procRoot ?? '/proc';
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  const mounts = parseMounts((await readOptional(join(procRoot, 'self', 'mounts'))) ?? '');
  const resolved = resolveDiskTarget(target, mounts);

  let disk: DiskReport;
  let device: DeviceReport;
  if (resolved === null) {
    disk = { available: false, path: target, error: NOT_FOUND };
    device = { available: false, device: target, error: NOT_FOUND };
  } else {
    try {
      const usage = await diskUsage(resolved.path);
      disk = { available: true, ...usage };
      device = {
        available: true,
        device: target,
        mount_point: resolved.mountPoint,
        total_bytes: usage.total,
        used_bytes: usage.used,
        free_bytes: usage.free,
        percent: usage.percent,
      };
    } catch (error) {
      const reason = statfsError(error);
      disk = { available: false, path: target, error: reason };
      device = { available: false, device: target, error: reason };
    }
  }

  const container = await readCgroup({ procRoot, cgroupRoot: options.cgroupRoot });
  return { collected_at: collectedAt, disk, device, docker: { available: false, error: DOCKER_NOT_QUERIED }, container };
}

/** A stable token rather than the error message, which repeats the path and varies by platform. */
function statfsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return NOT_FOUND;
  if (code === 'EACCES' || code === 'EPERM') return 'permission_denied';
  return 'statfs_failed';
}
