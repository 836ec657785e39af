import { InvalidValueError } from '../errors/runlogError.js';

/** How a histogram is written in history: numpy.histogram's `bins` (edges, n+1) and `values` (counts, n). */
export interface HistogramData {
  _type: 'histogram';
  /** Bin edges, length numBins + 1. */
  bins: number[];
  /** Counts per bin, length numBins. */
  values: number[];
  /** Values left out because they were NaN. */
  nanCount: number;
  /** Values left out because they were +Infinity or -Infinity. */
  infCount: number;
}

export const MAX_HISTOGRAM_BINS = 512;
export const DEFAULT_HISTOGRAM_BINS = 64;

/** numpy.linspace(start, stop, num + 1): edges[i] = start + i * step, the last edge exactly `stop`. */
export function histogramEdges(start: number, stop: number, numBins: number): number[] {
  const edges = new Array<number>(numBins + 1);
  const step = (stop - start) / numBins;
  if (Number.isFinite(step)) {
    for (let i = 0; i <= numBins; i++) edges[i] = i * step + start;
  } else {
    // The range overflows (-MAX_VALUE to MAX_VALUE): blend the ends instead; each term stays finite.
    for (let i = 0; i <= numBins; i++) edges[i] = start * ((numBins - i) / numBins) + stop * (i / numBins);
  }
  edges[numBins] = stop;
  return edges;
}

export function checkBinCount(numBins: number): void {
  if (!Number.isInteger(numBins) || numBins < 1 || numBins > MAX_HISTOGRAM_BINS) {
    throw new InvalidValueError(
      `numBins must be an integer from 1 to ${MAX_HISTOGRAM_BINS}, got ${numBins}`,
      'INVALID_ARGUMENT',
    );
  }
}

/**
 * Exactly numpy.histogram(values[finite], bins=numBins) computed in float64: edges linspace(min, max, n+1), every
 * bin half-open but the last, which is closed. NaN and ±Infinity are left out and counted. When every finite value
 * is the same, one bin [v - 0.5, v + 0.5] holds them all. No finite value gives an empty histogram.
 */
export function computeHistogram(values: ArrayLike<number>, numBins = DEFAULT_HISTOGRAM_BINS): HistogramData {
  checkBinCount(numBins);
  const n = values.length;
  // Fast first pass: Math.min/Math.max are branch-free but let NaN through (it sticks), so any NaN or ±Infinity
  // sends us to the exact counting pass below; both passes give the same min and max.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  let nanCount = 0;
  let infCount = 0;
  if (Number.isNaN(min) || min === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) {
    min = Number.POSITIVE_INFINITY;
    max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (Number.isNaN(v)) nanCount++;
      else if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) infCount++;
      else {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  } else {
    // Math.min prefers -0 over 0; numpy (and the exact pass) keep the first zero met.
    if (min === 0) min = firstZero(values);
    if (max === 0) max = firstZero(values);
  }
  const finite = n - nanCount - infCount;
  if (finite === 0) return { _type: 'histogram', bins: [], values: [], nanCount, infCount };
  if (min === max) return { _type: 'histogram', bins: [min - 0.5, max + 0.5], values: [finite], nanCount, infCount };

  const bins = histogramEdges(min, max, numBins);
  if (!Number.isFinite(max - min))
    return { _type: 'histogram', bins, values: binWide(values, bins), nanCount, infCount };
  const counts = finite === n ? binFinite(values, bins, min, max) : binSkippingNonFinite(values, bins, min, max);
  return { _type: 'histogram', bins, values: counts, nanCount, infCount };
}

/*
 * numpy's binning: index = trunc((v - min) * n / (max - min)), then a correction for rounding in that product by
 * comparing with the real edges; the last bin is closed. (v - min) * norm lies in [0, n], so `| 0` is Math.trunc.
 * An extra +Infinity edge and an extra count slot for index n (v == max) replace the clamping, and that slot is
 * folded into the last bin. Counts are Uint32 (no count can exceed an array's length): integer increments keep
 * runs of values falling in the same bin fast. Two copies of the loop so the common all-finite case skips the
 * range test.
 */
function binFinite(values: ArrayLike<number>, bins: number[], min: number, max: number): number[] {
  const numBins = bins.length - 1;
  const edges = sentinelEdges(bins);
  const counts = new Uint32Array(numBins + 1);
  const norm = numBins / (max - min);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let index = ((v - min) * norm) | 0;
    if (v < edges[index]) index--;
    else if (v >= edges[index + 1]) index++;
    counts[index]++;
  }
  return foldLast(counts);
}

function binSkippingNonFinite(values: ArrayLike<number>, bins: number[], min: number, max: number): number[] {
  const numBins = bins.length - 1;
  const edges = sentinelEdges(bins);
  const counts = new Uint32Array(numBins + 1);
  const norm = numBins / (max - min);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= min && v <= max)) continue; // NaN and ±Infinity fail both comparisons or one of them
    let index = ((v - min) * norm) | 0;
    if (v < edges[index]) index--;
    else if (v >= edges[index + 1]) index++;
    counts[index]++;
  }
  return foldLast(counts);
}

/** Binning when max - min overflows: the guess is made on halved values, then moved to the real edges. */
function binWide(values: ArrayLike<number>, bins: number[]): number[] {
  const numBins = bins.length - 1;
  const edges = sentinelEdges(bins);
  const counts = new Uint32Array(numBins + 1);
  const low = bins[0] / 2;
  const norm = numBins / (bins[numBins] / 2 - low);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= bins[0] && v <= bins[numBins])) continue;
    let index = Math.min(numBins, Math.max(0, Math.trunc((v / 2 - low) * norm)));
    while (v < edges[index]) index--;
    while (v >= edges[index + 1]) index++;
    counts[index]++;
  }
  return foldLast(counts);
}

function sentinelEdges(bins: number[]): Float64Array {
  const edges = new Float64Array(bins.length + 1);
  edges.set(bins);
  edges[bins.length] = Number.POSITIVE_INFINITY;
  return edges;
}

function foldLast(counts: Uint32Array): number[] {
  const last = counts.length - 2;
  counts[last] += counts[last + 1];
  return Array.from(counts.subarray(0, last + 1));
}

function firstZero(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (values[i] === 0) return values[i];
  return 0;
}

/** A histogram from counts someone else computed; `edges` must have counts.length + 1 increasing values. */
export function histogramFromCounts(counts: ArrayLike<number>, edges: ArrayLike<number>): HistogramData {
  checkBinCount(counts.length);
  if (edges.length !== counts.length + 1) {
    throw new InvalidValueError(
      `a histogram with ${counts.length} counts needs ${counts.length + 1} edges, got ${edges.length}`,
    );
  }
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!Number.isFinite(c) || c < 0)
      throw new InvalidValueError(`histogram count ${i} is ${c}: counts must be finite and >= 0`);
  }
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]))
      throw new InvalidValueError(`histogram edge ${i} is ${edges[i]}: edges must be finite`);
    if (i > 0 && !(edges[i] > edges[i - 1])) throw new InvalidValueError('histogram edges must increase strictly');
  }
  return { _type: 'histogram', bins: Array.from(edges), values: Array.from(counts), nanCount: 0, infCount: 0 };
}
