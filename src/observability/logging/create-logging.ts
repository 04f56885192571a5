import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import { CUSTOM_LEVELS, LOG_LEVELS, type LevelName } from './levels.js';
import { LineRing } from './line-ring.js';
import { REDACTED, REDACTED_LOG_PATHS, redactSecrets } from './redact-secrets.js';
import { RollingFile } from './rolling-file.js';

export type KairosLogger = Logger<'critical'>;

/** Something that receives the log lines (JSON) at or above `level`: Discord's log handler. */
export interface LogForwarder {
  readonly level: LevelName;
  write(line: string): void;
}

export interface LoggingOptions {
  /** Directory of all log files (created if missing); null writes no files. @default 'logs' */
  dir?: string | null;
  /** @default 'info' */
  level?: LevelName;
  /** `auto`: pretty in a TTY, JSON lines otherwise. @default 'auto' */
  console?: 'auto' | 'pretty' | 'json' | 'off';
  /** Rotated files kept besides the active one. @default { app: 14, error: 30, job: 72 } */
  retention?: { app?: number; error?: number; job?: number };
  /** A file is also rotated when it reaches this size (pino-roll syntax: '100m', '512k'). @default '100m' */
  maxFileSize?: string;
  /** Lines a run keeps for `tail()`. @default 50 */
  tailLines?: number;
  /** Optional forwarding of records at or above its level (the Discord log handler). */
  forward?: LogForwarder;
  /** The root logger's `name`. @default 'kairos' */
  name?: string;
  /** Where problems with log files are reported. @default a line on stderr */
  onError?: (err: Error) => void;
}

export interface RunLogging {
  /** A child of the root logger bound to `{jobId, runId}`; its lines also go to the job's file. */
  readonly logger: KairosLogger;
  /** The run's last lines (JSON, oldest first), for the run record. */
  tail(): string[];
}

export interface Logging {
  readonly logger: KairosLogger;
  forRun(bindings: { jobId: string; runId: string }): RunLogging;
  /** Resolves once every line logged so far is in its file. */
  flush(): Promise<void>;
  /** Flushes and closes the files; loggers must not be used afterwards. */
  close(): Promise<void>;
}

const DEFAULT_RETENTION = { app: 14, error: 30, job: 72 };

/**
 * pino streams flagged with this symbol receive the writing logger as
 * `lastLogger`; the run router uses it to find the run a line belongs to,
 * so a run logger is a plain child logger and costs no stream of its own.
 */
const NEEDS_METADATA: typeof pino.symbols.needsMetadataGsym = pino.symbols.needsMetadataGsym;
const RUN_SINK = Symbol('kairos.runSink');

interface RunSink {
  readonly tail: LineRing;
  readonly jobId: string;
}

/** Job log files kept open at once; others are reopened when written to. */
const MAX_OPEN_JOB_FILES = 64;

/** A manual one-off copy's lines belong to the job it copies. */
function baseJobId(jobId: string): string {
  const at = jobId.indexOf('__manual__');
  return at > 0 ? jobId.slice(0, at) : jobId;
}

/** Logging for the whole process: one root pino logger, its files, and cheap per-run children. */
export function createLogging(options: LoggingOptions = {}): Logging {
  const dir = options.dir === undefined ? 'logs' : options.dir;
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const maxFileSize = options.maxFileSize ?? '100m';
  const tailLines = options.tailLines ?? 50;
  const onError = options.onError ?? ((err: Error) => process.stderr.write(`kairos logging: ${redactSecrets(err.message)}\n`));
  if (!Number.isInteger(tailLines) || tailLines < 1) {
    throw new RangeError(`tailLines must be a positive integer, got ${tailLines}`);
  }

  const files: RollingFile[] = [];
  const jobFiles = new Map<string, RollingFile>();

  function openFile(subdir: string, base: string, frequency: 'daily' | 'hourly', keep: number): RollingFile {
    const folder = join(dir as string, subdir);
    // Synchronous so that an unwritable directory fails createLogging itself, with the path named.
    mkdirSync(folder, { recursive: true });
    const file = new RollingFile(
      {
        file: join(folder, base),
        extension: '.log',
        frequency,
        dateFormat: frequency === 'daily' ? 'yyyy-MM-dd' : 'yyyy-MM-dd-HH',
        size: maxFileSize,
        limit: { count: keep, removeOtherLogFiles: true },
        mkdir: true,
      },
      onError,
    );
    files.push(file);
    return file;
  }

  /**
   * The job's log file, opened on demand. A manual one-off copy (`<id>__manual__<ms>`) writes
   * to its job's file, and at most MAX_OPEN_JOB_FILES stay open (least recently used closed
   * first), so thousands of job ids never exhaust file descriptors.
   */
  function jobFile(jobId: string): RollingFile | null {
    if (dir === null) return null;
    const key = baseJobId(jobId);
    let file = jobFiles.get(key);
    if (file) {
      jobFiles.delete(key);
    } else {
      const safe = fileSafeName(key);
      file = openFile(join('jobs', safe), safe, 'hourly', retention.job);
      if (jobFiles.size >= MAX_OPEN_JOB_FILES) {
        const [oldestKey, oldest] = jobFiles.entries().next().value as [string, RollingFile];
        jobFiles.delete(oldestKey);
        files.splice(files.indexOf(oldest), 1);
        void oldest.close();
      }
    }
    jobFiles.set(key, file);
    return file;
  }

  const runRouter = {
    [NEEDS_METADATA]: true as const,
    lastLogger: undefined as unknown,
    write(line: string): void {
      const sink = (this.lastLogger as { [RUN_SINK]?: RunSink } | undefined)?.[RUN_SINK];
      if (!sink) return;
      sink.tail.push(line.endsWith('\n') ? line.slice(0, -1) : line);
      jobFile(sink.jobId)?.write(line);
    },
  };

  const consoleStream = openConsole(options.console ?? 'auto');
  const entries: StreamEntry<LevelName>[] = [{ level: 'trace', stream: runRouter }];
  if (consoleStream) entries.push({ level: 'trace', stream: consoleStream });
  if (dir !== null) {
    entries.push({ level: 'trace', stream: openFile('app', 'app', 'daily', retention.app) });
    entries.push({ level: 'error', stream: openFile('error', 'error', 'daily', retention.error) });
  }
  if (options.forward) entries.push({ level: options.forward.level, stream: options.forward });

  const logger: KairosLogger = pino(
    {
      name: options.name ?? 'kairos',
      level: options.level ?? 'info',
      customLevels: CUSTOM_LEVELS,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTED },
      // Applied to the finished line, so secrets inside messages and error stacks are caught too.
      hooks: { streamWrite: redactSecrets },
    },
    pino.multistream(entries, { levels: LOG_LEVELS }),
  );

  return {
    logger,
    forRun({ jobId, runId }) {
      if (dir !== null) fileSafeName(baseJobId(jobId));
      const sink: RunSink = { tail: new LineRing(tailLines), jobId };
      const runLogger = logger.child({ jobId, runId });
      // Inherited by the run logger's own children through pino's prototype chain.
      Object.defineProperty(runLogger, RUN_SINK, { value: sink });
      return { logger: runLogger, tail: () => sink.tail.toArray() };
    },
    async flush() {
      await Promise.all([...files.map((file) => file.flush()), flushConsole(consoleStream)]);
    },
    async close() {
      await flushConsole(consoleStream);
      await Promise.all(files.map((file) => file.close()));
    },
  };
}

function openConsole(mode: NonNullable<LoggingOptions['console']>): DestinationStream | null {
  if (mode === 'off') return null;
  const prettyOutput = mode === 'pretty' || (mode === 'auto' && process.stdout.isTTY === true);
  if (prettyOutput) return pretty({ colorize: true, customLevels: CUSTOM_LEVELS, sync: true });
  return pino.destination({ dest: 1, sync: false });
}

async function flushConsole(stream: DestinationStream | null): Promise<void> {
  const flushable = stream as { flush?: (cb: (err?: Error) => void) => void } | null;
  if (typeof flushable?.flush !== 'function') return;
  await new Promise<void>((resolve) => flushable.flush!(() => resolve()));
}

/** Job ids become folder and file names: anything outside [A-Za-z0-9_.-] becomes `_`, and `.`/`..` are refused. */
function fileSafeName(jobId: string): string {
  const safe = jobId.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (safe === '' || /^\.+$/.test(safe)) throw new Error(`job id ${JSON.stringify(jobId)} cannot name a log file`);
  return safe;
}
