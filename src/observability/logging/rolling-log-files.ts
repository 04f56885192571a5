import { appendFileSync, mkdirSync } from 'node:fs';
import { appendFile, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface RollingLogFilesOptions {
  readonly dir: string;
  /** A new file every hour or every day (local time). */
  readonly period: 'hour' | 'day';
  /** Rotated files kept per name besides the active one. */
  readonly keep: number;
  /** A file is continued in the next `.N` once it reaches this many bytes. */
  readonly maxBytes: number;
  readonly onError: (err: Error) => void;
  /** Lines held while the disk lags; beyond this new lines are dropped (and reported once). @default 16 MiB */
  readonly maxPendingBytes?: number;
}

/** Where a job's current file is and how full it is. */
interface FileState {
  stamp: string;
  index: number;
  bytes: number;
}

const FLUSH_DELAY_MS = 100;
/** Jobs whose lines are appended at the same time. */
const PARALLEL_APPENDS = 8;
const MAX_KNOWN_FILES = 10_000;
const FILE_NAME = /^(.*)\.(\d{4}-\d\d-\d\d(?:-\d\d)?)\.(\d+)\.log$/;

/**
 * Log files `<dir>/<name>/<name>.<stamp>.<N>.log` for any number of names
 * (the application's log, each job's), a new file per period (`yyyy-MM-dd`
 * or `yyyy-MM-dd-HH`) or when one outgrows `maxBytes` (the next `N`); the
 * oldest beyond `keep` are removed.
 *
 * Lines are held in memory and appended by a background flush, each name's in
 * one `appendFile`: no file stays open, so thousands of job ids cost no file
 * descriptors, and logging never waits for (or syscalls on) the disk, which is
 * what keeps per-fire overhead small when many jobs fire at once. A process
 * that exits writes what it holds synchronously.
 */
export class RollingLogFiles {
  private pending = new Map<string, string[]>();
  /** Held and not yet written: the pending lines and the batches queued behind a slow append. */
  private heldBytes = 0;
  private dropped = 0;
  private readonly files = new Map<string, FileState>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly maxPendingBytes: number;
  private readonly stamp: (d: Date) => string;

  constructor(private readonly options: RollingLogFilesOptions) {
    this.maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
    this.stamp = options.period === 'hour' ? hourStamp : dayStamp;
    live.add(this);
  }

  /** `name` must already be file-safe. */
  write(name: string, line: string): void {
    if (this.heldBytes + line.length > this.maxPendingBytes) {
      if (this.dropped++ === 0) this.options.onError(new Error(`log files in ${this.options.dir} are behind by ${this.heldBytes} bytes; dropping lines until they catch up`));
      return;
    }
    const lines = this.pending.get(name);
    if (lines) lines.push(line);
    else this.pending.set(name, [line]);
    this.heldBytes += line.length;
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Resolves once every line written so far is in its file. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    if (batch.size === 0) return this.flushing;
    this.pending = new Map();
    let bytes = 0;
    for (const lines of batch.values()) for (const line of lines) bytes += line.length;
    // Batches are appended one after another, so a job's lines stay in order.
    this.flushing = this.flushing.then(() => this.append(batch)).finally(() => (this.heldBytes -= bytes));
    return this.flushing;
  }

  /** Flushes, then stops writing on process exit. */
  async close(): Promise<void> {
    await this.flush();
    live.delete(this);
  }

  /** What is still held, appended synchronously to each name's current file: the process is exiting. */
  flushSync(): void {
    const batch = this.pending;
    this.pending = new Map();
    for (const [name, lines] of batch) {
      const file = this.files.get(name);
      const stamp = this.stamp(new Date());
      const index = file && file.stamp === stamp ? file.index : 1;
      try {
        mkdirSync(join(this.options.dir, name), { recursive: true });
        appendFileSync(join(this.options.dir, name, `${name}.${stamp}.${index}.log`), lines.join(''));
      } catch {
        // Exiting: nowhere left to report to.
      }
    }
  }

  private async append(batch: Map<string, string[]>): Promise<void> {
    const names = [...batch.keys()];
    const worker = async (): Promise<void> => {
      for (let name = names.pop(); name !== undefined; name = names.pop()) {
        try {
          await this.appendTo(name, batch.get(name)!);
        } catch (error) {
          this.options.onError(new Error(`cannot write log file ${join(this.options.dir, name)}: ${(error as Error).message}`));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_APPENDS, names.length) }, worker));
    if (this.dropped > 0) {
      this.options.onError(new Error(`${this.dropped} lines for ${this.options.dir} were dropped while the disk lagged`));
      this.dropped = 0;
    }
  }

  private async appendTo(name: string, lines: readonly string[]): Promise<void> {
    const folder = join(this.options.dir, name);
    const stamp = this.stamp(new Date());
    let file = this.files.get(name);
    if (!file || file.stamp !== stamp) {
      file = await this.currentFile(folder, name, stamp);
      this.files.delete(name);
      this.files.set(name, file);
      // Forgetting a job's state only costs a directory read when it logs again.
      if (this.files.size > MAX_KNOWN_FILES) this.files.delete(this.files.keys().next().value!);
    }
    let chunk = '';
    let chunkBytes = 0;
    for (const [i, line] of lines.entries()) {
      chunk += line;
      chunkBytes += Buffer.byteLength(line);
      // The line that crosses the size limit is the file's last.
      if (file.bytes + chunkBytes < this.options.maxBytes && i < lines.length - 1) continue;
      await appendFile(join(folder, `${name}.${file.stamp}.${file.index}.log`), chunk);
      file.bytes += chunkBytes;
      chunk = '';
      chunkBytes = 0;
      if (file.bytes >= this.options.maxBytes) {
        file.index += 1;
        file.bytes = 0;
        await this.removeOld(folder, name);
      }
    }
  }

  /** The file to continue this hour: the highest `N` already there (from an earlier process), or 1. */
  private async currentFile(folder: string, name: string, stamp: string): Promise<FileState> {
    // A folder created just now holds nothing to continue or remove.
    if (await mkdir(folder, { recursive: true })) return { stamp, index: 1, bytes: 0 };
    const existing = await this.filesOf(folder, name);
    const latest = existing.at(-1)?.stamp === stamp ? existing.at(-1)! : null;
    const size = latest ? (await stat(join(folder, latest.file))).size : 0;
    const continued = latest !== null && size < this.options.maxBytes;
    await this.removeOld(folder, name, continued ? existing.slice(0, -1) : existing);
    if (!latest) return { stamp, index: 1, bytes: 0 };
    return continued ? { stamp, index: latest.index, bytes: size } : { stamp, index: latest.index + 1, bytes: 0 };
  }

  /** `rotated`: the job's files other than the active one, oldest first. */
  private async removeOld(folder: string, name: string, rotated?: Array<{ file: string }>): Promise<void> {
    const files = rotated ?? (await this.filesOf(folder, name));
    const excess = files.slice(0, Math.max(0, files.length - this.options.keep));
    await Promise.all(excess.map((f) => unlink(join(folder, f.file)).catch(() => undefined)));
  }

  /** This job's files, oldest first. */
  private async filesOf(folder: string, name: string): Promise<Array<{ file: string; stamp: string; index: number }>> {
    return (await readdir(folder))
      .map((file) => FILE_NAME.exec(file))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === name)
      .map((m) => ({ file: m[0], stamp: m[2]!, index: Number(m[3]) }))
      .sort((a, b) => (a.stamp === b.stamp ? a.index - b.index : a.stamp < b.stamp ? -1 : 1));
  }
}

/** Open instances, written out by one exit handler. */
const live = new Set<RollingLogFiles>();
process.on('exit', () => {
  for (const files of live) files.flushSync();
});

const two = (n: number): string => String(n).padStart(2, '0');
/** Local time: files roll over at the operator's midnight and hours. */
const dayStamp = (d: Date): string => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
const hourStamp = (d: Date): string => `${dayStamp(d)}-${two(d.getHours())}`;

/** A size: a number with an optional b, k, m or g (powers of 1024). */
export function parseSize(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)$/i.exec(size.trim());
  if (!match) throw new RangeError(`invalid log file size ${JSON.stringify(size)}: expected a number with an optional b, k, m or g`);
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Math.floor(Number(match[1]) * unit);
}
