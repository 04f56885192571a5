/**
 * Runs `task` over `items` with at most `limit` in flight. Tasks handle their
 * own errors (a rejection would leave the others running unobserved, so it is
 * treated as a bug and rethrown once all have settled). Once `signal` aborts
 * no new task starts; the number started is returned.
 */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  task: (item: T) => Promise<void>,
): Promise<number> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let next = 0;
  const errors: unknown[] = [];
  async function lane(): Promise<void> {
    while (next < items.length && !signal.aborted) {
      const item = items[next++] as T;
      await task(item).catch((err: unknown) => errors.push(err));
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
  return next;
}
