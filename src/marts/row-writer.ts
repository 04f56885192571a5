import type { PerformanceRow } from '../domain/performance-row.js';
import type { PerformanceKind, Warehouse } from '../warehouse/warehouse.js';

/** Rows per upsert: large enough that round trips don't dominate, small enough to bound memory. */
export const DEFAULT_BATCH_SIZE = 1000;

/**
 * Applies a mart's writes (batched row upserts, and a refill's range deletes)
 * to the target in the order they are called, with at most one in flight while
 * the caller reads and computes what comes next.
 *
 * Order is the crash-safety invariant of the marts: an operation starts only
 * after the previous one is stored, and each is one upsert or one delete, so
 * whatever a crash leaves behind is a prefix of the run's operations, and every
 * key's newest stored row is a valid seed for the next run.
 */
export class RowWriter {
  private batch: PerformanceRow[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private stored = 0;
  private removed = 0;

  constructor(
    private readonly target: Warehouse,
    private readonly kind: PerformanceKind,
    private readonly batchSize: number = DEFAULT_BATCH_SIZE,
    private readonly signal?: AbortSignal,
  ) {}

  /** Rows the warehouse has acknowledged. */
  get written(): number {
    return this.stored;
  }

  /** Rows the range deletes have removed. */
  get deleted(): number {
    return this.removed;
  }

  async add(row: PerformanceRow): Promise<void> {
    this.batch.push(row);
    if (this.batch.length >= this.batchSize) await this.writeBatch();
  }

  /**
   * Deletes `key`'s rows with `from <= current_time <= to` after the rows added so far are stored
   * and before any row added later is. Returns once the delete has started, so the caller reads the
   * key's first snapshots while it runs.
   */
  async deleteRange(key: string, from: Date, to: Date): Promise<void> {
    if (this.batch.length > 0) await this.writeBatch();
    await this.start(async () => {
      this.removed += await this.target.deletePerformance(this.kind, { keys: [key], from, to });
    });
  }

  /** Writes what is buffered and waits for every operation to finish. */
  async flush(): Promise<void> {
    if (this.batch.length > 0) await this.writeBatch();
    await this.inFlight;
  }

  /** Waits for the operation in flight, if any, without reporting its error (the run is already failing). */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  private async writeBatch(): Promise<void> {
    const rows = this.batch;
    this.batch = [];
    await this.start(async () => {
      await this.target.upsertPerformanceRows(this.kind, rows);
      this.stored += rows.length;
    });
  }

  private async start(operation: () => Promise<void>): Promise<void> {
    await this.inFlight;
    // Between operations is the one place a stop is clean: everything before is stored, nothing after.
    this.signal?.throwIfAborted();
    const started = operation();
    // Observed by the next `await this.inFlight`; this only keeps Node from calling it unhandled meanwhile.
    started.catch(() => undefined);
    this.inFlight = started;
  }
}
