import type { Tensor } from 'onnxruntime-node';
import { percentileOfSorted } from '../../src/percentiles.js';

/** Min, max, mean (NaN left out) and NaN count computed directly from a tensor's data, for comparisons. */
export function expectedStats(tensor: Tensor): { min: number; max: number; mean: number; nanCount: number } {
  const values = Array.from(tensor.data as ArrayLike<number | bigint>, Number);
  const finite = values.filter((v) => !Number.isNaN(v));
  return {
    min: Math.min(...finite),
    max: Math.max(...finite),
    mean: finite.reduce((a, b) => a + b, 0) / finite.length,
    nanCount: values.length - finite.length,
  };
}

/** numpy-style percentiles of latencies (ms) gathered independently, e.g. from predictBatchEnd hooks. */
export function expectedLatency(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: percentileOfSorted(sorted, 0.5),
    p90: percentileOfSorted(sorted, 0.9),
    p99: percentileOfSorted(sorted, 0.99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    max: sorted[sorted.length - 1],
  };
}
