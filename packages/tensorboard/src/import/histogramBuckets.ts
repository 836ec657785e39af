import { MAX_HISTOGRAM_BINS } from '@runlog/core';
import type { HistogramProtoData } from '../proto/histogramProto.js';

/** A histogram as runlog stores it: n + 1 strictly increasing finite edges, n counts. */
export interface Bins {
  edges: number[];
  counts: number[];
  /** The buckets had to be merged (more than runlog's 512 bins, or edges that did not increase). */
  merged: boolean;
}

/**
 * A HistogramProto as TensorBoard reads it (tensorboard/data_compat.py): empty buckets at both ends dropped, the
 * left edge of the first bucket left is `min` and the right edge of the last `max` (TensorFlow's outermost
 * limits are ±DBL_MAX). Undefined when no bucket holds anything.
 */
export function binsFromHistogramProto(histo: HistogramProtoData): Bins | undefined {
  const { bucket, bucketLimit } = histo;
  let start = 0;
  while (start < bucket.length && !(bucket[start] > 0)) start++;
  let end = bucket.length - 1;
  while (end >= start && !(bucket[end] > 0)) end--;
  if (start > end) return undefined;
  const edges = [histo.min, ...bucketLimit.slice(start, end), histo.max];
  return normalizeBins(edges, bucket.slice(start, end + 1));
}

/** TensorBoard's tensor form of a histogram: rows of [left, right, count]. */
export function binsFromBucketRows(values: readonly number[], rows: number): Bins | undefined {
  if (rows === 0) return undefined;
  const edges = [values[0]];
  const counts: number[] = [];
  for (let i = 0; i < rows; i++) {
    edges.push(values[i * 3 + 1]);
    counts.push(values[i * 3 + 2]);
  }
  if (!counts.some((c) => c > 0)) return undefined;
  return normalizeBins(edges, counts);
}

/**
 * Makes edges strictly increasing and finite and at most 512 bins, never losing a count: a bin whose right edge
 * does not exceed its left one is folded into its neighbour; a single point becomes [v - 0.5, v + 0.5] (numpy's
 * rule for equal values); more than 512 bins are merged pairwise.
 */
export function normalizeBins(edges: number[], counts: number[]): Bins | undefined {
  const outEdges: number[] = [];
  const outCounts: number[] = [];
  let carry = 0; // counts of zero-width or unbounded bins met before the first proper one
  let point = Number.NaN;
  for (let i = 0; i < counts.length; i++) {
    const left = edges[i];
    const right = edges[i + 1];
    const count = Number.isFinite(counts[i]) && counts[i] > 0 ? counts[i] : 0;
    const last = outCounts.length - 1;
    if (!Number.isFinite(left) || !Number.isFinite(right) || !(right > (last >= 0 ? outEdges[last + 1] : left))) {
      // not a proper bin after what we have: fold its count into the previous bin (or the first one to come)
      if (last >= 0) outCounts[last] += count;
      else {
        carry += count;
        if (Number.isFinite(left)) point = left;
      }
      continue;
    }
    if (last < 0) outEdges.push(left);
    outEdges.push(right);
    outCounts.push(count + (last < 0 ? carry : 0));
  }
  if (outCounts.length === 0) {
    if (carry > 0 && Number.isFinite(point))
      return { edges: [point - 0.5, point + 0.5], counts: [carry], merged: counts.length > 1 };
    return undefined;
  }
  let merged = outCounts.length !== counts.length;
  while (outCounts.length > MAX_HISTOGRAM_BINS) {
    merged = true;
    const pairedEdges = [outEdges[0]];
    const pairedCounts: number[] = [];
    for (let i = 0; i < outCounts.length; i += 2) {
      pairedEdges.push(outEdges[Math.min(i + 2, outCounts.length)]);
      pairedCounts.push(outCounts[i] + (i + 1 < outCounts.length ? outCounts[i + 1] : 0));
    }
    outEdges.splice(0, outEdges.length, ...pairedEdges);
    outCounts.splice(0, outCounts.length, ...pairedCounts);
  }
  return { edges: outEdges, counts: outCounts, merged };
}
