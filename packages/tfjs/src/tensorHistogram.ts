import { computeHistogram, DEFAULT_HISTOGRAM_BINS, type HistogramData } from '@runlog/core';
import {
  bincount,
  cast,
  getBackend,
  getKernel,
  isFinite as isFiniteOp,
  isNaN as isNaNOp,
  logicalNot,
  max,
  min,
  reshape,
  scalar,
  searchSorted,
  stack,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
  tensor1d,
  tidy,
  where,
} from '@tensorflow/tfjs-core';

/**
 * numpy.histogram of a tensor's finite values (exactly core's `computeHistogram`), computed on the tensor's own
 * backend: only the min, max, two counts and the `numBins` bin counts are downloaded, whatever the tensor's size.
 *
 * How it stays exact: numpy's edges are float64 (`linspace(min, max)`), the values float32. For a float32 `v`
 * and a float64 edge `e`, `v >= e` holds exactly when `v >= ceil32(e)` (the smallest float32 not below `e`), so
 * the backend bins against those float32 edges with a binary search (searchSorted) and counts with bincount.
 */
export function tensorHistogram(x: Tensor, numBins = DEFAULT_HISTOGRAM_BINS): HistogramData {
  if (!backendBinsExactly()) return computeHistogram(x.dataSync() as Float32Array, numBins);
  const flat = tidy(() => reshape(x.dtype === 'float32' ? x : cast(x, 'float32'), [-1]));
  try {
    const [lowest, highest] = downloadRange(flat);
    const [nanCount, nonFiniteCount] = downloadNonFiniteCounts(flat);
    const infCount = nonFiniteCount - nanCount;
    const finiteCount = flat.size - nonFiniteCount;
    if (finiteCount === 0) return { _type: 'histogram', bins: [], values: [], nanCount, infCount };
    // The edges numpy would use, taken from core so the two can never drift apart.
    const reference = computeHistogram([lowest, highest], numBins);
    if (lowest === highest) return { ...reference, values: [finiteCount], nanCount, infCount };
    const searchEdges = new Float32Array(numBins); // the left edge of every bin, rounded up to float32
    for (let i = 0; i < numBins; i++) searchEdges[i] = ceilToFloat32(reference.bins[i]);
    const counts = tidy(() => {
      const finite = isFiniteOp(flat);
      // Non-finite values go to bin 0 here and are taken out of it below.
      const values = where(finite, flat, lowest);
      const bin = sub(searchSorted(tensor1d(searchEdges), values, 'right'), scalar(1, 'int32')) as Tensor1D;
      return bincount(bin, tensor1d([], 'int32'), numBins);
    });
    const values = Array.from(counts.dataSync());
    counts.dispose();
    values[0] -= nonFiniteCount;
    return { _type: 'histogram', bins: reference.bins, values, nanCount, infCount };
  } finally {
    flat.dispose();
  }
}

/** The kernels this needs exist on cpu, wasm, webgl and tfjs-node; any other backend downloads the values. */
function backendBinsExactly(): boolean {
  const backend = getBackend();
  return getKernel('SearchSorted', backend) !== undefined && getKernel('Bincount', backend) !== undefined;
}

function downloadRange(flat: Tensor): [number, number] {
  const range = tidy(() => {
    const finite = isFiniteOp(flat);
    return stack([
      min(where(finite, flat, Number.POSITIVE_INFINITY)),
      max(where(finite, flat, Number.NEGATIVE_INFINITY)),
    ]);
  });
  const [lowest, highest] = range.dataSync();
  range.dispose();
  return [lowest, highest];
}

function downloadNonFiniteCounts(flat: Tensor): [number, number] {
  const counts = tidy(() =>
    stack([sum(cast(isNaNOp(flat), 'int32')), sum(cast(logicalNot(isFiniteOp(flat)), 'int32'))]),
  );
  const [nanCount, nonFiniteCount] = counts.dataSync();
  counts.dispose();
  return [nanCount, nonFiniteCount];
}

const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);

/** The smallest float32 that is >= `value` (a finite float64). */
export function ceilToFloat32(value: number): number {
  const rounded = Math.fround(value);
  if (rounded >= value) return rounded;
  // Step one float32 up: for positive numbers the bit pattern grows, for negative ones it shrinks.
  if (rounded === 0) return 2 ** -149;
  f32[0] = rounded;
  bits[0] += rounded > 0 ? 1 : -1;
  return f32[0];
}
