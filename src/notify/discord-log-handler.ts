import { LOG_LEVELS, levelLabel, type LevelName } from '../observability/logging/levels.js';

/** Where formatted records go: a `DiscordWorker`, typically the ETL_PROCESS_WEBHOOK channel's. */
export interface LineSink {
  enqueue(text: string): boolean;
}

export interface DiscordLogHandlerOptions {
  /** Records below this level are ignored. @default 'error' */
  level?: LevelName;
  /** Stack frames kept after the error's first line. @default 3 */
  stackFrames?: number;
}

/**
 * A pino destination (usable alone or in `pino.multistream`, and as Kairos'
 * `LoggingOptions.forward`) that turns each record at or above `level` into
 * one line for Discord. It never blocks: the sink only queues.
 */
export class DiscordLogHandler {
  readonly level: LevelName;
  private readonly threshold: number;
  private readonly stackFrames: number;

  constructor(
    private readonly sink: LineSink,
    options: DiscordLogHandlerOptions = {},
  ) {
    this.level = options.level ?? 'error';
    this.threshold = LOG_LEVELS[this.level];
    this.stackFrames = options.stackFrames ?? 3;
  }

  write(line: string): void {
    const record = parseRecord(line);
    if (record === null) {
      this.sink.enqueue(line.trimEnd());
      return;
    }
    if (typeof record['level'] === 'number' && record['level'] < this.threshold) return;
    this.sink.enqueue(formatLogRecord(record, this.stackFrames));
  }
}

/** `2025-01-02T03:04:05.000Z ERROR [jobId] message | Error: boom | at f (file.js:1:2)`. */
export function formatLogRecord(record: Record<string, unknown>, stackFrames: number): string {
  const time = typeof record['time'] === 'number' ? new Date(record['time']).toISOString() : String(record['time'] ?? '');
  const level = typeof record['level'] === 'number' ? levelLabel(record['level']) : String(record['level'] ?? '');
  const name = record['jobId'] ?? record['name'] ?? '-';
  const parts = [`${time} ${level.toUpperCase()} [${String(name)}] ${String(record['msg'] ?? '')}`];
  const stack = (record['err'] as { stack?: unknown } | undefined)?.stack;
  if (typeof stack === 'string') parts.push(...trimStack(stack, stackFrames));
  return parts.join(' | ');
}

/** The error line(s) and the first `frames` "at ..." lines, each trimmed. */
function trimStack(stack: string, frames: number): string[] {
  const lines = stack.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const firstFrame = lines.findIndex((l) => l.startsWith('at '));
  if (firstFrame === -1) return lines;
  return lines.slice(0, firstFrame + frames);
}

function parseRecord(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
