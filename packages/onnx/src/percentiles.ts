/**
 * numpy.percentile's default ('linear') over values already sorted ascending: the value at rank q * (n - 1),
 * interpolated between its two neighbours. NaN for an empty input.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = q * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}
