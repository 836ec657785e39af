import type { OrtTensorLike } from './ortTensorLike.js';

/** A summary of one tensor's elements. NaN elements are counted and left out of min, max and mean. */
export interface TensorStats {
  dtype: string;
  shape: number[];
  /** Elements summarised (not NaN); 0 for strings and tensors whose data cannot be read. */
  count: number;
  min: number;
  max: number;
  /** Sum of the elements summarised, in float64 (mean = sum / count). */
  sum: number;
  nanCount: number;
}

/**
 * Min, max, sum and NaN count of a tensor in one pass. int64 elements become numbers (exact up to 2^53),
 * float16 elements are decoded, bool counts as 0 and 1. Strings and tensors not on the CPU get no numbers.
 */
export function computeTensorStats(tensor: OrtTensorLike): TensorStats {
  const stats: TensorStats = {
    dtype: tensor.type,
    shape: Array.from(tensor.dims),
    count: 0,
    min: Number.NaN,
    max: Number.NaN,
    sum: 0,
    nanCount: 0,
  };
  const values = numericView(tensor);
  if (!values) return stats;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let nanCount = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      nanCount++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  stats.count = n - nanCount;
  stats.nanCount = nanCount;
  stats.sum = sum;
  if (stats.count > 0) {
    stats.min = min;
    stats.max = max;
  }
  return stats;
}

/** Folds `next` into `into` (a running summary over several calls); dtype and shape become the latest ones. */
export function mergeTensorStats(into: TensorStats, next: TensorStats): void {
  into.dtype = next.dtype;
  into.shape = next.shape;
  if (next.count > 0) {
    into.min = into.count > 0 ? Math.min(into.min, next.min) : next.min;
    into.max = into.count > 0 ? Math.max(into.max, next.max) : next.max;
  }
  into.count += next.count;
  into.sum += next.sum;
  into.nanCount += next.nanCount;
}

/** The elements as numbers, or undefined when there are none to read (strings, GPU tensors). */
export function numericView(tensor: OrtTensorLike): ArrayLike<number> | undefined {
  if (tensor.location !== undefined && tensor.location !== 'cpu' && tensor.location !== 'cpu-pinned') return;
  let data: unknown;
  try {
    data = tensor.data;
  } catch {
    return; // a tensor whose data lives elsewhere throws on access
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number);
  if (tensor.type === 'float16' && data instanceof Uint16Array) return decodeFloat16(data);
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return data as unknown as ArrayLike<number>;
  return;
}

/** IEEE 754 half precision bit patterns -> numbers. */
function decodeFloat16(bits: Uint16Array): Float64Array {
  const out = new Float64Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * 2 ** -14 * (fraction / 1024);
    else if (exponent === 0x1f) out[i] = fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else out[i] = sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}
