import { ceilToFloat32, computeHistogram, type HistogramData } from '@runlog/core';
import { readTensor, type TensorLike } from './tensorLike.js';

/** The chained ops of a tfjs tensor that the on-device histogram needs. */
interface OpsTensor extends TensorLike {
  reshape(shape: number[]): OpsTensor;
  cast(dtype: string): OpsTensor;
  isFinite(): OpsTensor;
  isNaN(): OpsTensor;
  where(condition: OpsTensor, other: number | OpsTensor): OpsTensor;
  min(): OpsTensor;
  max(): OpsTensor;
  sum(): OpsTensor;
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
  'dispose',
] as const;

function hasOps(tensor: TensorLike): tensor is OpsTensor {
  const record = tensor as unknown as Record<string, unknown>;
  return OPS.every((op) => typeof record[op] === 'function');
}

/**
 * numpy.histogram of a tensor, computed by the tensor's own backend (cpu, wasm, webgl...) with its chained ops;
 * only a few scalars and the counts are downloaded. The result equals computeHistogram on the downloaded values:
 * the edges are core's float64 edges, and float32 values are compared with each edge rounded up to float32,
 * which decides `v < edge` exactly. Tensors without chained ops are downloaded and binned on the CPU.
 */
export async function tensorHistogram(tensor: TensorLike, numBins: number): Promise<HistogramData> {
  if (!hasOps(tensor)) return computeHistogram(await readTensor(tensor), numBins);
  const owned: OpsTensor[] = [];
  const keep = <T extends OpsTensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    const x = keep(keep(tensor.reshape([-1])).cast('float32'));
    const size = x.shape[0];
    const finite = keep(x.isFinite());
    const nanCount = keep(keep(keep(x.isNaN()).cast('int32')).sum());
    const finiteCount = keep(keep(finite.cast('int32')).sum());
    const min = keep(keep(x.where(finite, Number.POSITIVE_INFINITY)).min());
    const max = keep(keep(x.where(finite, Number.NEGATIVE_INFINITY)).max());
    const [nans, finites, lo, hi] = await Promise.all([nanCount, finiteCount, min, max].map(readScalar));
    const infCount = size - nans - finites;
    if (finites === 0) return { _type: 'histogram', bins: [], values: [], nanCount: nans, infCount };
    if (lo === hi)
      return { _type: 'histogram', bins: [lo - 0.5, hi + 0.5], values: [finites], nanCount: nans, infCount };
    // core's edges for [lo, hi]: a histogram of just the two extremes has exactly them.
    const edges = computeHistogram([lo, hi], numBins).bins;
    const thresholds = edges.map(ceilToFloat32);
    const counts = await countOnDevice(x, finite, thresholds, lo, hi, keep);
    return { _type: 'histogram', bins: edges, values: counts, nanCount: nans, infCount };
  } finally {
    for (const t of owned) t.dispose();
  }
}

async function readScalar(t: OpsTensor): Promise<number> {
  return (await readTensor(t))[0];
}

async function countOnDevice(
  x: OpsTensor,
  finite: OpsTensor,
  thresholds: number[],
  lo: number,
  hi: number,
  keep: <T extends OpsTensor>(t: T) => T,
): Promise<number[]> {
  const numBins = thresholds.length - 1;
  if (typeof x.unsortedSegmentSum === 'function') {
    try {
      return await countBySegments(x, finite, thresholds, lo, hi, keep);
    } catch {
      // Some backends (wasm) lack the UnsortedSegmentSum kernel: count with comparisons instead.
    }
  }
  // count(v >= t_i) for every edge; bin i holds the difference of neighbours, the last bin is closed.
  const finiteOnly = keep(x.where(finite, Number.NEGATIVE_INFINITY));
  const atLeast: number[] = [];
  for (let i = 0; i < numBins; i++) {
    atLeast.push(await readScalar(keep(keep(keep(finiteOnly.greaterEqual(thresholds[i])).cast('int32')).sum())));
  }
  return atLeast.map((count, i) => (i === numBins - 1 ? count : count - atLeast[i + 1]));
}

async function countBySegments(
  x: OpsTensor,
  finite: OpsTensor,
  thresholds: number[],
  lo: number,
  hi: number,
  keep: <T extends OpsTensor>(t: T) => T,
): Promise<number[]> {
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
  const counts = await readTensor(keep(ones.unsortedSegmentSum(segments, numBins + 1)));
  return Array.from(counts).slice(0, numBins);
}
