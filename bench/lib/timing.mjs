export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function sleepUntil(epochMs) {
  return sleep(epochMs - Date.now());
}

/**
 * The measurement window of a lateness run: it opens on a whole second after
 * `warmupSeconds` (start-up and the first cycles are not what is measured) and
 * lasts `seconds`.
 */
export function alignedWindow(warmupSeconds, seconds) {
  const from = Math.ceil(Date.now() / 1000) * 1000 + warmupSeconds * 1000;
  return { from, to: from + seconds * 1000 };
}

/** Polls `predicate` every `intervalMs` until it holds; throws after `timeoutMs`. */
export async function waitFor(predicate, intervalMs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
