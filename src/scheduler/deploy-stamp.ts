import { createHash } from 'node:crypto';

/**
 * Which jobs.yaml a reconcile comes from. Instances of a rolling deploy start
 * with different files; the store keeps the stamp of the last applied one and
 * refuses an older one, so the newest deploy wins whatever the start order.
 */
export interface DeployStamp {
  /** Kairos version of the instance that read the file. */
  readonly version: string;
  /** Content hash of the definitions. */
  readonly hash: string;
  /** When the file was last written (epoch ms). */
  readonly fileTime: number;
}

export function deployStamp(version: string, fileTime: number, definitions: unknown): DeployStamp {
  return { version, fileTime, hash: createHash('sha256').update(JSON.stringify(definitions)).digest('hex').slice(0, 16) };
}

/** Orders stamps by Kairos version, then by file time. Negative when `a` is older (and must not replace `b`). */
export function compareDeploys(a: DeployStamp, b: DeployStamp): number {
  return compareVersions(a.version, b.version) || Math.sign(a.fileTime - b.fileTime);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10));
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (Number.isNaN(pa[i]) ? 0 : pa[i] ?? 0) - (Number.isNaN(pb[i]) ? 0 : pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

export class StaleDeployError extends Error {
  constructor(readonly applied: DeployStamp) {
    super(
      `a newer jobs.yaml is already applied to this job store (by Kairos ${applied.version}, file of ${new Date(applied.fileTime).toISOString()}); ` +
        'this instance keeps the stored definitions: deploy the new jobs.yaml here too',
    );
    this.name = 'StaleDeployError';
  }
}
