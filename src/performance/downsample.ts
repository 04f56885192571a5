/**
 * Reduces a series to at most `maxPoints` for charting by min/max per bucket:
 * the first and last points are kept, the points between are cut into
 * ⌊(maxPoints - 2) / 2⌋ buckets of equal count, and each bucket keeps its
 * lowest and highest point by `y`, in their original order. Unlike averaging or
 * LTTB, every peak and trough survives, so a plotted drawdown is never shallower
 * than the real one. Returns the input's points themselves, in order; a series
 * already short enough is returned whole.
 * @param maxPoints an integer >= 2
 */
export function downsample<T>(points: readonly T[], maxPoints: number, y: (point: T) => number): T[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`maxPoints must be an integer >= 2, got ${maxPoints}`);
  if (points.length <= maxPoints) return [...points];
  const inner = points.length - 2;
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out: T[] = [points[0] as T];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      const v = y(points[i] as T);
      if (v < y(points[lo] as T)) lo = i;
      if (v > y(points[hi] as T)) hi = i;
    }
    out.push(points[Math.min(lo, hi)] as T);
    if (lo !== hi) out.push(points[Math.max(lo, hi)] as T);
  }
  out.push(points[points.length - 1] as T);
  return out;
}
