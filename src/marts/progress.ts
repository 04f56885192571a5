/**
 * Progress of a mart pass for people watching a long refill: where it is,
 * how fast it goes and when it should end. `runMart` reports a MartProgress
 * every `batch_size` rows and after each key; the rest is pure arithmetic on
 * it, so the CLI and the refill jobs print the same numbers.
 */

export interface MartProgress {
  /** Keys in the pass, and keys whose rows are all computed. */
  readonly keys: number;
  readonly keysDone: number;
  /** The key being computed: its window and the time of its newest computed row; null between keys. */
  readonly current: {
    readonly key: string;
    readonly from: Date;
    readonly to: Date;
    readonly at: Date;
  } | null;
  /** Rows the warehouse has acknowledged (up to two batches behind the computation). */
  readonly rows: number;
}

export interface ProgressEstimate {
  /** Share of the pass done, 0..1. */
  readonly fraction: number;
  readonly rowsPerSecond: number;
  /** Null until something is done to extrapolate from. */
  readonly etaSeconds: number | null;
}

/**
 * The share done counts finished keys plus the current key's share of its time
 * window, so the ETA assumes keys take about as long as each other and spread
 * their snapshots evenly over the window (as 1-minute snapshots do); a key
 * with a long gap makes it jump ahead, never stall.
 */
export function estimate(progress: MartProgress, elapsedMs: number): ProgressEstimate {
  const { current } = progress;
  let keyShare = 0;
  if (current) {
    const span = current.to.getTime() - current.from.getTime();
    keyShare = span <= 0 ? 1 : Math.min(1, Math.max(0, (current.at.getTime() - current.from.getTime()) / span));
  }
  const fraction = progress.keys === 0 ? 1 : Math.min(1, (progress.keysDone + keyShare) / progress.keys);
  const seconds = elapsedMs / 1000;
  return {
    fraction,
    rowsPerSecond: seconds > 0 ? progress.rows / seconds : 0,
    etaSeconds: fraction > 0 && seconds > 0 ? (seconds * (1 - fraction)) / fraction : null,
  };
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `1h 02m`, `3m 07s`, `12s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** One progress line: `3/10 keys, p03 at 2024-04-01T00:00:00Z, 1,234,567 rows, 41,200 rows/s, 35.1 %, ETA 1m 23s`. */
export function formatProgress(progress: MartProgress, elapsedMs: number): string {
  const { fraction, rowsPerSecond, etaSeconds } = estimate(progress, elapsedMs);
  const { current } = progress;
  const where = current ? `, ${current.key} at ${current.at.toISOString().replace('.000Z', 'Z')}` : '';
  const eta = etaSeconds === null ? 'ETA unknown' : `ETA ${formatDuration(etaSeconds)}`;
  return (
    `${progress.keysDone}/${progress.keys} keys${where}, ${count(progress.rows)} rows, ` +
    `${count(rowsPerSecond)} rows/s, ${(fraction * 100).toFixed(1)} %, ${eta}`
  );
}

/** Passes a report on at most once per `intervalMs`, the first one at once. */
export function throttle(
  intervalMs: number,
  report: (progress: MartProgress) => void,
  now: () => number = Date.now,
): (progress: MartProgress) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (progress) => {
    const t = now();
    if (t - last < intervalMs) return;
    last = t;
    report(progress);
  };
}

/** A progress report's figures, for structured logs. */
export interface ProgressFields {
  readonly keysDone: number;
  readonly keys: number;
  readonly key: string | null;
  readonly at: string | null;
  readonly rows: number;
  readonly rowsPerSecond: number;
  readonly etaSeconds: number | null;
}

/**
 * An `onProgress` that hands `write` at most one line per `intervalMs`, with
 * the same figures as fields; elapsed time counts from this call.
 */
export function progressReporter(
  intervalMs: number,
  write: (line: string, fields: ProgressFields) => void,
  now: () => number = Date.now,
): (progress: MartProgress) => void {
  const started = now();
  return throttle(
    intervalMs,
    (progress) => {
      const elapsed = now() - started;
      const { rowsPerSecond, etaSeconds } = estimate(progress, elapsed);
      write(formatProgress(progress, elapsed), {
        keysDone: progress.keysDone,
        keys: progress.keys,
        key: progress.current?.key ?? null,
        at: progress.current?.at.toISOString() ?? null,
        rows: progress.rows,
        rowsPerSecond: Math.round(rowsPerSecond),
        etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
      });
    },
    now,
  );
}
