import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogging } from '../../src/observability/logging/create-logging.js';
import type { JobType } from '../../src/scheduler/job-type.js';
import { JobTypeRegistry } from '../../src/scheduler/job-type-registry.js';
import { Scheduler, type Clock } from '../../src/scheduler/scheduler.js';
import type { JobStore } from '../../src/scheduler/store.js';
import { SqliteJobStore } from '../../src/scheduler/stores/sqlite/sqlite-store.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(iso: string | number): void {
    this.ms = typeof iso === 'number' ? iso : Date.parse(iso);
  }
  advance(ms: number): number {
    this.ms += ms;
    return this.ms;
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kairos-${prefix}-`));
}

export async function sqliteStore(dir = tempDir('store')): Promise<{ store: SqliteJobStore; path: string }> {
  const path = join(dir, 'kairos.db');
  const store = new SqliteJobStore(path);
  await store.migrate();
  return { store, path };
}

/** A scheduler over a real store with a manual clock; tests drive it with `runDue(now)`. */
export function testScheduler(store: JobStore, clock: ManualClock, types: JobType[], instanceId = 'test-instance', claimAheadMs = 0, claimBatch?: number): Scheduler {
  const registry = new JobTypeRegistry();
  for (const type of types) registry.register(type);
  const logging = createLogging({ dir: null, console: 'off' });
  return new Scheduler({
    store,
    resolveJobType: (func) => registry.get(func),
    logger: logging.logger,
    runLogger: (bindings) => logging.forRun(bindings),
    clock,
    instanceId,
    claimAheadMs,
    ...(claimBatch === undefined ? {} : { claimBatch }),
  });
}
