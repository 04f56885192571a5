/** Nearest-rank percentile of an ascending array (0 < p <= 100). */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Median, min and max of one metric over repetitions (non-numbers ignored). */
export function spread(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  return { median: median(xs), min: xs.length ? Math.min(...xs) : null, max: xs.length ? Math.max(...xs) : null, n: xs.length };
}

/**
 * Lateness of fires on a fixed period, measured over [fromMs, toMs): per job the
 * fires expected are the multiples of `periodMs` in the window; a fire seen twice
 * is duplicated, one never seen is missed.
 */
export function latenessSummary(fires, jobIds, fromMs, toMs, periodMs) {
  const seen = new Map();
  const late = [];
  let duplicated = 0;
  for (const [jobId, scheduledMs, startedMs] of fires) {
    if (scheduledMs < fromMs || scheduledMs >= toMs) continue;
    const key = `${jobId}@${scheduledMs}`;
    if (seen.has(key)) {
      duplicated++;
      continue;
    }
    seen.set(key, true);
    late.push(startedMs - scheduledMs);
  }
  const perJob = Math.ceil(toMs / periodMs) - Math.ceil(fromMs / periodMs);
  const expected = perJob * jobIds.length;
  late.sort((a, b) => a - b);
  return {
    expected,
    fired: late.length,
    missed: expected - late.length,
    duplicated,
    p50: percentile(late, 50),
    p90: percentile(late, 90),
    p99: percentile(late, 99),
    max: late.length ? late[late.length - 1] : null,
  };
}
