import type { HistoryColumns } from './historyColumns.js';

export interface HistogramsOverTime {
  steps: number[];
  /** Value range of the common grid. */
  low: number;
  high: number;
  /** counts[s][b]: how many values of step s fall in bin b of `bins` equal bins over [low, high]. */
  counts: number[][];
  bins: number;
}

interface HistogramValue {
  _type: 'histogram';
  bins: number[];
  values: number[];
}

const isHistogram = (v: unknown): v is HistogramValue =>
  v !== null &&
  typeof v === 'object' &&
  (v as HistogramValue)._type === 'histogram' &&
  Array.isArray((v as HistogramValue).bins) &&
  Array.isArray((v as HistogramValue).values);

/**
 * The histograms one key logged across steps, put on one common grid so they can be drawn as a heat map (x: step,
 * y: value, colour: count). Each logged bin's count is spread over the grid bins it overlaps. At most `maxSteps`
 * steps, evenly spread, first and last kept.
 */
export function histogramsOverTime(
  columns: HistoryColumns,
  key: string,
  options: { maxSteps?: number; bins?: number } = {},
): HistogramsOverTime {
  const maxSteps = options.maxSteps ?? 200;
  const bins = options.bins ?? 64;
  const sparse = columns.sparseColumn(key);
  const steps = columns.column('_step');
  const found: Array<{ step: number; value: HistogramValue }> = [];
  if (sparse) {
    for (let i = 0; i < sparse.rows.length; i++) {
      const value = sparse.values[i];
      if (isHistogram(value)) found.push({ step: steps ? steps[sparse.rows[i]] : sparse.rows[i], value });
    }
  }
  const picked =
    found.length <= maxSteps
      ? found
      : maxSteps <= 1
        ? found.slice(-1) // one step: the latest
        : Array.from({ length: maxSteps }, (_, i) => found[Math.round((i * (found.length - 1)) / (maxSteps - 1))]);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const { value } of picked) {
    const edges = value.bins;
    if (edges.length < 2) continue;
    low = Math.min(low, edges[0]);
    high = Math.max(high, edges[edges.length - 1]);
  }
  if (!(high > low)) {
    if (Number.isFinite(low)) high = low + 1;
    else return { steps: [], low: 0, high: 1, counts: [], bins };
  }
  const width = (high - low) / bins;
  const counts = picked.map(({ value }) => {
    const grid = new Array<number>(bins).fill(0);
    for (let b = 0; b < value.values.length; b++) {
      const from = value.bins[b];
      const to = value.bins[b + 1];
      const count = value.values[b];
      if (!count || !Number.isFinite(from) || !Number.isFinite(to)) continue;
      if (to <= from) {
        grid[Math.min(bins - 1, Math.max(0, Math.floor((from - low) / width)))] += count;
        continue;
      }
      const first = Math.max(0, Math.floor((from - low) / width));
      const last = Math.min(bins - 1, Math.floor((to - low) / width));
      for (let g = first; g <= last; g++) {
        const overlap = Math.min(to, low + (g + 1) * width) - Math.max(from, low + g * width);
        if (overlap > 0) grid[g] += (count * overlap) / (to - from);
      }
    }
    return grid;
  });
  return { steps: picked.map((p) => p.step), low, high, counts, bins };
}
