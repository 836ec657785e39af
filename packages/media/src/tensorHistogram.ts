import { ceilToFloat32, computeHistogram, DEFAULT_HISTOGRAM_BINS, type HistogramData } from '@runlog/core/browser';
import { readTensor, readTensorSync, type TensorLike } from './tensorLike.js';

/**
 * Where a tensor histogram is binned: 'backend' on the tensor's own backend with its chained ops, downloading a
 * few scalars and the counts whatever the tensor's size (what GPU backends and tfjs-node want); 'host' reads the
 * values and bins them in JS (cheaper for cpu and wasm, whose tensors already live in process memory).
 */
export type BinOn = 'backend' | 'host';

export interface TensorHistogramOptions {
  /** 1 to 512; default 64. */
  numBins?: number;
  /** Default 'backend' (falls back to 'host' for tensors without the chained ops or kernels it needs). */
  binOn?: BinOn;
}

/** The chained ops of a tfjs tensor that binning on the backend needs. */
interface OpsTensor extends TensorLike {
  reshape(shape: number[]): OpsTensor;
  cast(dtype: string): OpsTensor;
  isFinite(): OpsTensor;
  isNaN(): OpsTensor;
  where(condition: OpsTensor, other: number | OpsTensor): OpsTensor;
  min(): OpsTensor;
  max(): OpsTensor;
  sum(): OpsTensor;
  stack(other: OpsTensor): OpsTensor;
  sub(value: number | OpsTensor): OpsTensor;
  mul(value: number | OpsTensor): OpsTensor;
  add(value: number | number[] | OpsTensor): OpsTensor;
  floor(): OpsTensor;
  clipByValue(min: number, max: number): OpsTensor;
  slice(begin: number, size: number): OpsTensor;
  zerosLike(): OpsTensor;
  gather(indices: OpsTensor): OpsTensor;
  less(other: number | OpsTensor): OpsTensor;
  greaterEqual(other: number | OpsTensor): OpsTensor;
  logicalAnd(other: OpsTensor): OpsTensor;
  unsortedSegmentSum(segmentIds: OpsTensor, numSegments: number): OpsTensor;
  dispose(): void;
}

const OPS = [
  'reshape',
  'cast',
  'isFinite',
  'isNaN',
  'where',
  'min',
  'max',
  'sum',
  'stack',
  'sub',
  'mul',
  'add',
  'floor',
  'clipByValue',
  'slice',
  'zerosLike',
  'gather',
  'less',
  'greaterEqual',
  'logicalAnd',
  'unsortedSegmentSum',
  'dispose',
] as const;

function hasOps(tensor: TensorLike): tensor is OpsTensor {
  const record = tensor as unknown as Record<string, unknown>;
  return OPS.every((op) => typeof record[op] === 'function');
}

/**
 * The steps of one histogram: each `yield` hands a tensor to download and receives its values, so the same
 * steps serve the synchronous reader (dataSync, inside an optimizer step) and the asynchronous one (data()).
 */
type Steps = Generator<TensorLike, HistogramData, ArrayLike<number>>;

/**
 * numpy.histogram of a tensor's finite values, exactly core's `computeHistogram` of the same values (the
 * reference it is tested against). See `BinOn` for where it is binned; NaN and ±Infinity are counted apart.
 *
 * How the backend path stays exact: numpy's edges are float64 (core's, from the downloaded min and max), the
 * values float32. For a float32 `v` and a float64 edge `e`, `v >= e` exactly when `v >= ceilToFloat32(e)`, so
 * the backend bins against those float32 edges: a float32 first guess (off by at most one bin) corrected by
 * comparing with them, then counted with unsortedSegmentSum. A backend without that kernel (wasm) bins on the
 * host: its tensors live in process memory anyway.
 * @example
 * const data = await tensorHistogram(weights, { numBins: 64 });
 */
export async function tensorHistogram(
  tensor: TensorLike,
  options: TensorHistogramOptions = {},
): Promise<HistogramData> {
  const owned: OpsTensor[] = [];
  try {
    const steps = histogramSteps(tensor, options, owned);
    let step = steps.next();
    while (!step.done) step = steps.next(await readTensor(step.value));
    return step.value;
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** `tensorHistogram` read with dataSync: for tensors that are gone once the caller returns (gradients). */
export function tensorHistogramSync(tensor: TensorLike, options: TensorHistogramOptions = {}): HistogramData {
  const owned: OpsTensor[] = [];
  try {
    const steps = histogramSteps(tensor, options, owned);
    let step = steps.next();
    while (!step.done) step = steps.next(readTensorSync(step.value));
    return step.value;
  } finally {
    for (const t of owned) t.dispose();
  }
}

function* histogramSteps(tensor: TensorLike, options: TensorHistogramOptions, owned: OpsTensor[]): Steps {
  const numBins = options.numBins ?? DEFAULT_HISTOGRAM_BINS;
  if (options.binOn === 'host' || !hasOps(tensor)) return computeHistogram(yield tensor, numBins);
  const keep = (t: OpsTensor): OpsTensor => {
    owned.push(t);
    return t;
  };
  const x = keep(keep(tensor.reshape([-1])).cast('float32'));
  const finite = keep(x.isFinite());
  const nanCount = keep(keep(keep(x.isNaN()).cast('int32')).sum());
  const finiteCount = keep(keep(finite.cast('int32')).sum());
  const counts = yield keep(nanCount.stack(finiteCount));
  const nans = counts[0];
  const finites = counts[1];
  const infCount = x.shape[0] - nans - finites;
  if (finites === 0) return { _type: 'histogram', bins: [], values: [], nanCount: nans, infCount };
  const min = keep(keep(x.where(finite, Number.POSITIVE_INFINITY)).min());
  const max = keep(keep(x.where(finite, Number.NEGATIVE_INFINITY)).max());
  const range = yield keep(min.stack(max));
  const lo = range[0];
  const hi = range[1];
  if (lo === hi) return { _type: 'histogram', bins: [lo - 0.5, hi + 0.5], values: [finites], nanCount: nans, infCount };
  // core's edges for [lo, hi]: a histogram of just the two extremes has exactly them.
  const edges = computeHistogram([lo, hi], numBins).bins;
  let binCounts: OpsTensor;
  try {
    binCounts = countOnBackend(x, finite, edges.map(ceilToFloat32), lo, hi, keep);
  } catch {
    // The backend lacks a kernel (wasm has no UnsortedSegmentSum): its tensors live in process memory, read them.
    return computeHistogram(yield tensor, numBins);
  }
  const values = Array.from(yield binCounts).slice(0, numBins);
  return { _type: 'histogram', bins: edges, values, nanCount: nans, infCount };
}

/** The count per bin (plus a last slot for non-finite values), as a tensor still on the backend. */
function countOnBackend(
  x: OpsTensor,
  finite: OpsTensor,
  thresholds: number[],
  lo: number,
  hi: number,
  keep: (t: OpsTensor) => OpsTensor,
): OpsTensor {
  const numBins = thresholds.length - 1;
  const last = numBins - 1;
  const norm = numBins / (hi - lo);
  const edges = keep(keep(keep(x.slice(0, 1)).zerosLike()).add(thresholds));
  // First guess in float32 (off by at most one), then numpy's correction against the exact edges.
  const safe = keep(x.where(finite, lo));
  const guess = keep(keep(keep(keep(safe.sub(lo)).mul(norm)).floor()).clipByValue(0, last));
  const lower = keep(edges.gather(keep(guess.cast('int32'))));
  const down = keep(keep(safe.less(lower)).cast('float32'));
  const corrected = keep(guess.sub(down));
  const upper = keep(edges.gather(keep(keep(corrected.add(1)).cast('int32'))));
  const up = keep(keep(keep(safe.greaterEqual(upper)).logicalAnd(keep(corrected.less(last)))).cast('float32'));
  const index = keep(corrected.add(up));
  // Non-finite values go to an extra segment that is dropped.
  const segments = keep(keep(index.where(finite, numBins)).cast('int32'));
  const ones = keep(finite.cast('int32'));
  return keep(ones.unsortedSegmentSum(segments, numBins + 1));
}
