import build, { type PinoRollOptions, type RollingStream } from 'pino-roll';

/**
 * A pino destination writing to a pino-roll file. pino-roll opens its file
 * asynchronously, but loggers (a run's, especially) must be usable at once:
 * lines written before the file is open are held and written in order when it is.
 */
export class RollingFile {
  private stream: RollingStream | null = null;
  private held: string[] = [];
  private readonly opened: Promise<void>;

  constructor(options: PinoRollOptions, onError: (err: Error) => void) {
    this.opened = build(options).then(
      (stream) => {
        stream.on('error', onError);
        for (const line of this.held) stream.write(line);
        this.held = [];
        this.stream = stream;
      },
      (err: unknown) => {
        this.held = [];
        onError(new Error(`cannot open log file ${options.file}: ${(err as Error).message}`));
      },
    );
  }

  write(line: string): void {
    if (this.stream) this.stream.write(line);
    else this.held.push(line);
  }

  /** Resolves once everything written so far has reached the file. */
  async flush(): Promise<void> {
    await this.opened;
    const stream = this.stream;
    if (!stream || stream.destroyed) return;
    await new Promise<void>((resolve, reject) => stream.flush((err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    await this.opened;
    const stream = this.stream;
    if (!stream || stream.destroyed) return;
    await new Promise<void>((resolve) => {
      stream.once('close', resolve);
      stream.end();
    });
  }
}
