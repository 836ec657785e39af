import { HISTOGRAM } from './fieldNumbers.js';
import type { ProtoReader } from './protoReader.js';
import { type ProtoWriter, WIRE } from './protoWriter.js';

/** tensorboard.HistogramProto: `bucket[i]` values fell below `bucketLimit[i]` (and at or above the limit before). */
export interface HistogramProtoData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/**
 * A numpy-style histogram (`edges`: n + 1 increasing values, `counts`: n) as a HistogramProto: `min` and `max`
 * are the outer edges and `bucket_limit` the right edge of each bin, so TensorBoard's reading (left edge of
 * bucket 0 = min, left edge of bucket i = bucket_limit[i - 1]) gives back exactly the same bins. `sum` and
 * `sum_squares` come from `moments` when the raw values were seen, else from the bin centres.
 */
export function writeHistogramProto(
  out: ProtoWriter,
  edges: ArrayLike<number>,
  counts: ArrayLike<number>,
  moments?: { sum: number; sumSquares: number },
): void {
  const n = counts.length;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const count = counts[i];
    num += count;
    const centre = (edges[i] + edges[i + 1]) / 2;
    sum += count * centre;
    sumSquares += count * centre * centre;
  }
  out.doubleField(HISTOGRAM.min, n > 0 ? edges[0] : 0);
  out.doubleField(HISTOGRAM.max, n > 0 ? edges[n] : 0);
  out.doubleField(HISTOGRAM.num, num);
  out.doubleField(HISTOGRAM.sum, moments?.sum ?? sum);
  out.doubleField(HISTOGRAM.sumSquares, moments?.sumSquares ?? sumSquares);
  if (n === 0) return;
  out.tag(HISTOGRAM.bucketLimit, WIRE.bytes);
  out.varint(n * 8);
  for (let i = 1; i <= n; i++) out.double(edges[i]);
  out.tag(HISTOGRAM.bucket, WIRE.bytes);
  out.varint(n * 8);
  for (let i = 0; i < n; i++) out.double(counts[i]);
}

export function readHistogramProto(reader: ProtoReader): HistogramProtoData {
  const data: HistogramProtoData = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const readDouble = (r: ProtoReader) => r.double();
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === HISTOGRAM.bucketLimit) reader.repeated(wireType, readDouble, data.bucketLimit);
    else if (field === HISTOGRAM.bucket) reader.repeated(wireType, readDouble, data.bucket);
    else if (wireType === WIRE.fixed64 && field >= HISTOGRAM.min && field <= HISTOGRAM.sumSquares) {
      const value = reader.double();
      if (field === HISTOGRAM.min) data.min = value;
      else if (field === HISTOGRAM.max) data.max = value;
      else if (field === HISTOGRAM.num) data.num = value;
      else if (field === HISTOGRAM.sum) data.sum = value;
      else data.sumSquares = value;
    } else reader.skip(wireType);
  }
  return data;
}
