/**
 * M4 downsampling (Jugel et al., "M4: a visualization-oriented time series data aggregation"): the rows of a
 * range are cut into `buckets` equal runs of row indices and each bucket keeps its first, minimum, maximum and
 * last finite point. A line drawn through the kept points has the same pixels as one drawn through all of
 * them, so spikes never vanish; a range with at most 4 x `buckets` points comes back whole (full detail).
 */
export interface SeriesColumns {
  /** x value of every row (NaN where the row has no x). */
  x: ArrayLike<number>;
  /** y value of every row (NaN where the row did not log the key). */
  y: ArrayLike<number>;
}

/** Indices of the kept rows in increasing order. Only rows where both x and y are finite count. */
export function downsampleM4(
  columns: SeriesColumns,
  from: number,
  to: number,
  buckets: number,
): { indices: Uint32Array; count: number } {
  const { x, y } = columns;
  const finite = (i: number) => Number.isFinite(y[i]) && Number.isFinite(x[i]);
  let count = 0;
  for (let i = from; i < to; i++) if (finite(i)) count++;
  if (count <= 4 * buckets) {
    const indices = new Uint32Array(count);
    let n = 0;
    for (let i = from; i < to; i++) if (finite(i)) indices[n++] = i;
    return { indices, count };
  }
  const out = new Uint32Array(4 * buckets);
  let n = 0;
  const span = to - from;
  for (let b = 0; b < buckets; b++) {
    const start = from + Math.floor((span * b) / buckets);
    const end = from + Math.floor((span * (b + 1)) / buckets);
    let first = -1;
    let last = -1;
    let min = -1;
    let max = -1;
    for (let i = start; i < end; i++) {
      const v = y[i];
      if (!(Number.isFinite(v) && Number.isFinite(x[i]))) continue;
      if (first < 0) {
        first = i;
        min = i;
        max = i;
      } else {
        if (v < y[min]) min = i;
        if (v > y[max]) max = i;
      }
      last = i;
    }
    if (first < 0) continue;
    // The four indices in row order, duplicates dropped.
    const kept = [first, min, max, last].sort((a, c) => a - c);
    for (let k = 0; k < 4; k++) if (k === 0 || kept[k] !== kept[k - 1]) out[n++] = kept[k];
  }
  return { indices: out.subarray(0, n), count };
}
