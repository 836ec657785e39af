import { downsampleM4 } from './downsampleM4.js';
import type { HistoryColumns } from './historyColumns.js';

export interface SeriesRequest {
  key: string;
  /** '_step', '_runtime', '_timestamp' or any numeric key. */
  xKey: string;
  /** Inclusive x range; open when undefined. */
  xMin?: number;
  xMax?: number;
  /** Only points with x strictly greater (live appends). */
  after?: number;
  /** M4 buckets: at most 4 x buckets points come back. */
  buckets: number;
}

export interface Series {
  x: number[];
  y: number[];
  /** Points in the requested range before downsampling. */
  total: number;
  downsampled: boolean;
  /** Rows in the whole history. */
  rows: number;
}

const EMPTY = (rows: number): Series => ({ x: [], y: [], total: 0, downsampled: false, rows });

/** One key of one history against an x axis, restricted to a range and M4-downsampled to a bounded size. */
export function seriesQuery(columns: HistoryColumns, request: SeriesRequest): Series {
  const rows = columns.length;
  const y = columns.column(request.key);
  const x = request.xKey === '_index' ? indexColumn(rows) : columns.column(request.xKey);
  if (!y || !x) return EMPTY(rows);
  const low = Math.max(request.xMin ?? Number.NEGATIVE_INFINITY, request.after ?? Number.NEGATIVE_INFINITY);
  const lowExclusive = request.after !== undefined && request.after >= (request.xMin ?? Number.NEGATIVE_INFINITY);
  const high = request.xMax ?? Number.POSITIVE_INFINITY;
  const inRange = (v: number) => (lowExclusive ? v > low : v >= low) && v <= high;
  const buckets = Math.max(1, Math.min(100_000, Math.floor(request.buckets)));

  if (isNonDecreasing(x)) {
    let from = 0;
    while (from < rows && !(Number.isFinite(x[from]) && inRange(x[from]))) from++;
    let to = rows;
    while (to > from && !(Number.isFinite(x[to - 1]) && inRange(x[to - 1]))) to--;
    const { indices, count } = downsampleM4({ x, y }, from, to, buckets);
    return pick(x, y, indices, count, rows);
  }
  // An x that goes back and forth (a metric as x): keep the rows in range, downsample them, sort by x.
  const keptX: number[] = [];
  const keptY: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i]) && inRange(x[i])) {
      keptX.push(x[i]);
      keptY.push(y[i]);
    }
  }
  const { indices, count } = downsampleM4({ x: keptX, y: keptY }, 0, keptX.length, buckets);
  const series = pick(keptX, keptY, indices, count, rows);
  const order = series.x.map((_, i) => i).sort((a, b) => series.x[a] - series.x[b]);
  return { ...series, x: order.map((i) => series.x[i]), y: order.map((i) => series.y[i]) };
}

function pick(x: ArrayLike<number>, y: ArrayLike<number>, indices: Uint32Array, total: number, rows: number): Series {
  const outX = new Array<number>(indices.length);
  const outY = new Array<number>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    outX[i] = x[indices[i]];
    outY[i] = y[indices[i]];
  }
  return { x: outX, y: outY, total, downsampled: indices.length < total, rows };
}

function isNonDecreasing(x: ArrayLike<number>): boolean {
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    if (v < previous) return false;
    previous = v;
  }
  return true;
}

function indexColumn(rows: number): Float64Array {
  const column = new Float64Array(rows);
  for (let i = 0; i < rows; i++) column[i] = i;
  return column;
}
