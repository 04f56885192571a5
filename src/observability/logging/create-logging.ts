import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import { CUSTOM_LEVELS, LOG_LEVELS, type LevelName } from './levels.js';
import { LineRing } from './line-ring.js';
import { REDACTED, REDACTED_LOG_PATHS, redactSecrets } from './redact-secrets.js';
import { RollingLogFiles, parseSize } from './rolling-log-files.js';

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
  /** A file is also rotated when it reaches this size: a number with an optional b, k, m or g ('100m', '512k'). @default '100m' */
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
  /**
   * The same, minus the job's file: for the engine's routine lines about the run
   * (its success), so a job that logs nothing itself creates no file.
   */
  readonly lifecycle: KairosLogger;
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
  /** The job's log file name (a manual one-off copy's lines belong to the job it copies); null: none. */
  readonly fileName: string | null;
}

function baseJobId(jobId: string): string {
  const at = jobId.indexOf('__manual__');
  return at > 0 ? jobId.slice(0, at) : jobId;
}

/** Logging for the whole process: one root pino logger, its files, and cheap per-run children. */
export function createLogging(options: LoggingOptions = {}): Logging {
  const dir = options.dir === undefined ? 'logs' : options.dir;
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const maxBytes = parseSize(options.maxFileSize ?? '100m');
  const tailLines = options.tailLines ?? 50;
  const onError = options.onError ?? ((err: Error) => process.stderr.write(`kairos logging: ${redactSecrets(err.message)}\n`));
  if (!Number.isInteger(tailLines) || tailLines < 1) {
    throw new RangeError(`tailLines must be a positive integer, got ${tailLines}`);
  }

  const open = (subdir: string, period: 'hour' | 'day', keep: number): RollingLogFiles | null => {
    if (dir === null) return null;
    const folder = join(dir, subdir);
    // Synchronous so that an unwritable directory fails createLogging itself, with the path named.
    mkdirSync(folder, { recursive: true });
    return new RollingLogFiles({ dir: folder, period, keep, maxBytes, onError });
  };
  const appFiles = open('', 'day', retention.app);
  const errorFiles = open('', 'day', retention.error);
  const jobFiles = open('jobs', 'hour', retention.job);
  const files = [appFiles, errorFiles, jobFiles].filter((f) => f !== null);

  const runRouter = {
    [NEEDS_METADATA]: true as const,
    lastLogger: undefined as unknown,
    write(line: string): void {
      const sink = (this.lastLogger as { [RUN_SINK]?: RunSink } | undefined)?.[RUN_SINK];
      if (!sink) return;
      sink.tail.push(line.endsWith('\n') ? line.slice(0, -1) : line);
      if (sink.fileName !== null) jobFiles?.write(sink.fileName, line);
    },
  };

  const consoleStream = openConsole(options.console ?? 'auto');
  const entries: StreamEntry<LevelName>[] = [{ level: 'trace', stream: runRouter }];
  if (consoleStream) entries.push({ level: 'trace', stream: consoleStream });
  if (appFiles) entries.push({ level: 'trace', stream: { write: (line: string) => appFiles.write('app', line) } });
  if (errorFiles) entries.push({ level: 'error', stream: { write: (line: string) => errorFiles.write('error', line) } });
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
      const sink: RunSink = { tail: new LineRing(tailLines), fileName: fileSafeName(baseJobId(jobId)) };
      const runLogger = logger.child({ jobId, runId });
      // Inherited by the run logger's own children through pino's prototype chain.
      Object.defineProperty(runLogger, RUN_SINK, { value: sink });
      const lifecycle = runLogger.child({});
      Object.defineProperty(lifecycle, RUN_SINK, { value: { tail: sink.tail, fileName: null } satisfies RunSink });
      return { logger: runLogger, lifecycle, tail: () => sink.tail.toArray() };
    },
    async flush() {
      await Promise.all([...files.map((file) => file.flush()), flushConsole(consoleStream)]);
    },
    async close() {
      await Promise.all([flushConsole(consoleStream), ...files.map((file) => file.close())]);
    },
  };
}

function openConsole(mode: NonNullable<LoggingOptions['console']>): DestinationStream | null {
  if (mode === 'off') return null;
  const prettyOutput = mode === 'pretty' || (mode === 'auto' && process.stdout.isTTY === true);
  // Loaded only for a terminal: services log JSON and skip its start-up cost.
  if (prettyOutput) return (createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty'))({ colorize: true, customLevels: CUSTOM_LEVELS, sync: true });
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
