import type { PerformanceRow } from '../domain/performance-row.js';
import type { PerformanceKind, Warehouse } from '../warehouse/warehouse.js';

/** Rows per upsert: large enough that round trips don't dominate, small enough to bound memory. */
export const DEFAULT_BATCH_SIZE = 1000;

/**
 * Writes performance rows in the order they are added, in batches, with at
 * most one batch in flight while the caller computes the next one.
 *
 * Order is the crash-safety invariant of the marts: batch n+1 starts only after
 * batch n is stored, and each batch is one upsert, so whatever a crash leaves
 * behind is a prefix of the run's rows, and every key's newest stored row is a
 * valid seed for the next run.
 */
export class RowWriter {
  private batch: PerformanceRow[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private stored = 0;

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

  async add(row: PerformanceRow): Promise<void> {
    this.batch.push(row);
    if (this.batch.length >= this.batchSize) await this.startBatch();
  }

  /** Writes what is buffered and waits for every write to finish. */
  async flush(): Promise<void> {
    if (this.batch.length > 0) await this.startBatch();
    await this.inFlight;
  }

  /** Waits for the write in flight, if any, without reporting its error (the run is already failing). */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  private async startBatch(): Promise<void> {
    const rows = this.batch;
    this.batch = [];
    await this.inFlight;
    // Between batches is the one place a stop is clean: everything before is stored, nothing after.
    this.signal?.throwIfAborted();
    const write = this.target.upsertPerformanceRows(this.kind, rows).then(() => {
      this.stored += rows.length;
    });
    // Observed by the next `await this.inFlight`; this only keeps Node from calling it unhandled meanwhile.
    write.catch(() => undefined);
    this.inFlight = write;
  }
}
