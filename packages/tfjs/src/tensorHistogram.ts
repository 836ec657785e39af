import { ceilToFloat32, computeHistogram, DEFAULT_HISTOGRAM_BINS, type HistogramData } from '@runlog/core';
import {
  argMax,
  bincount,
  cast,
  fill,
  gather,
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

/** Where a histogram is binned: see `tensorHistogram`. */
export type BinOn = 'auto' | 'backend' | 'host';

/** Backends whose tensors live in this process's memory: reading one is a memcpy, not a device transfer. */
const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm']);

/**
 * numpy.histogram of a tensor's finite values (exactly core's `computeHistogram`).
 *
 * `binOn: 'backend'` bins on the tensor's own backend and downloads only the min, max, two counts and the
 * `numBins` counts (272 bytes for 64 bins), whatever the tensor's size: what a GPU backend (webgl, webgpu,
 * tfjs-node-gpu) or tfjs-node needs. `'host'` reads the values and bins them in JS. `'auto'` (default) picks host
 * for cpu and wasm, whose tensors already live in process memory (there reading is cheaper than more kernels),
 * and backend for every other backend.
 *
 * How the backend path stays exact: numpy's edges are float64 (`linspace(min, max)`), the values float32. For a
 * float32 `v` and a float64 edge `e`, `v >= e` holds exactly when `v >= ceil32(e)` (the smallest float32 not below
 * `e`), so the backend bins against those float32 edges with a binary search (searchSorted) and counts with
 * bincount.
 */
export function tensorHistogram(x: Tensor, numBins = DEFAULT_HISTOGRAM_BINS, binOn: BinOn = 'auto'): HistogramData {
  const onHost = binOn === 'host' || (binOn === 'auto' && HOST_MEMORY_BACKENDS.has(getBackend()));
  if (onHost || !backendBinsExactly()) return computeHistogram(x.dataSync() as Float32Array, numBins);
  const flat = tidy(() => reshape(x.dtype === 'float32' ? x : cast(x, 'float32'), [-1]));
  try {
    const [nanCount, nonFiniteCount] = downloadNonFiniteCounts(flat);
    const infCount = nonFiniteCount - nanCount;
    const finiteCount = flat.size - nonFiniteCount;
    if (finiteCount === 0) return { _type: 'histogram', bins: [], values: [], nanCount, infCount };
    // Non-finite values (rare: a diverged run) are replaced by a finite one, binned, and taken out below.
    const standIn = nonFiniteCount === 0 ? 0 : firstFiniteValue(flat);
    const finite = nonFiniteCount === 0 ? flat : tidy(() => where(isFiniteOp(flat), flat, fill(flat.shape, standIn)));
    try {
      const [lowest, highest] = downloadRange(finite);
      // The edges numpy would use, taken from core so the two can never drift apart.
      const reference = computeHistogram([lowest, highest], numBins);
      if (lowest === highest) return { ...reference, values: [finiteCount], nanCount, infCount };
      const searchEdges = new Float32Array(numBins); // the left edge of every bin, rounded up to float32
      for (let i = 0; i < numBins; i++) searchEdges[i] = ceilToFloat32(reference.bins[i]);
      const counts = tidy(() => {
        const bin = sub(searchSorted(tensor1d(searchEdges), finite, 'right'), scalar(1, 'int32')) as Tensor1D;
        return bincount(bin, tensor1d([], 'int32'), numBins);
      });
      const values = Array.from(counts.dataSync());
      counts.dispose();
      if (nonFiniteCount > 0) values[searchBin(searchEdges, standIn)] -= nonFiniteCount;
      return { _type: 'histogram', bins: reference.bins, values, nanCount, infCount };
    } finally {
      if (finite !== flat) finite.dispose();
    }
  } finally {
    flat.dispose();
  }
}

/** The kernels this needs exist on cpu, wasm, webgl and tfjs-node; any other backend downloads the values. */
function backendBinsExactly(): boolean {
  const backend = getBackend();
  return getKernel('SearchSorted', backend) !== undefined && getKernel('Bincount', backend) !== undefined;
}

/** The first finite value of `flat` (one float downloaded), to stand in for its non-finite values. */
function firstFiniteValue(flat: Tensor): number {
  const value = tidy(() => gather(flat, argMax(cast(isFiniteOp(flat), 'int32'))));
  const result = value.dataSync()[0];
  value.dispose();
  return result;
}

/** The bin of `value` among the float32 left edges: the last edge <= value. */
function searchBin(edges: Float32Array, value: number): number {
  let bin = 0;
  while (bin + 1 < edges.length && edges[bin + 1] <= value) bin++;
  return bin;
}

/** min and max of a tensor whose values are all finite. */
function downloadRange(flat: Tensor): [number, number] {
  const range = tidy(() => {
    return stack([min(flat), max(flat)]);
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
