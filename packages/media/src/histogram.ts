import {
  computeHistogram,
  DEFAULT_HISTOGRAM_BINS,
  type HistogramData,
  histogramFromCounts,
  MAX_HISTOGRAM_BINS,
  type MediaRef,
} from '@runlog/core/browser';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { Media } from './media.js';
import { tensorHistogram } from './tensorHistogram.js';
import { isTensorLike, releaseTensor, retainTensor, type TensorLike } from './tensorLike.js';

export interface HistogramOptions {
  /** 1 to 512; default 64. */
  numBins?: number;
}

/**
 * numpy.histogram of the finite values (edges linspace(min, max, n + 1), the last bin closed); NaN and ±Infinity
 * are left out and counted. Arrays are binned at construction (a snapshot); tensors on their own backend, when
 * logged, downloading only the counts.
 * @example
 * run.log({ 'grad/dense1': new Histogram(gradients, { numBins: 128 }) });
 */
export class Histogram extends Media {
  readonly mediaKind = 'histogram';
  #data?: HistogramData;
  #tensor?: { retained: TensorLike; original: TensorLike; numBins: number };

  constructor(values: ArrayLike<number> | TensorLike, options: HistogramOptions = {}) {
    super();
    const numBins = options.numBins ?? DEFAULT_HISTOGRAM_BINS;
    if (!Number.isInteger(numBins) || numBins < 1 || numBins > MAX_HISTOGRAM_BINS) {
      throw new MediaInvalidError(
        `Histogram: numBins must be an integer from 1 to ${MAX_HISTOGRAM_BINS}, got ${numBins}`,
      );
    }
    if (isTensorLike(values)) {
      if (values.dtype === 'string' || values.dtype === 'complex64') {
        throw new MediaInvalidError(`Histogram: a ${values.dtype} tensor has no numeric values to bin`);
      }
      this.#tensor = { retained: retainTensor(values), original: values, numBins };
      return;
    }
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
      throw new MediaInvalidError('Histogram: expected an array, a typed array or a tfjs tensor');
    }
    if (Array.isArray(values)) {
      const bad = values.findIndex((v) => typeof v !== 'number');
      if (bad >= 0) throw new MediaInvalidError(`Histogram: value ${bad} is ${typeof values[bad]}, not a number`);
    }
    this.#data = computeHistogram(values, numBins);
  }

  /** A histogram from counts computed elsewhere; `edges` has one more value than `counts`, increasing. */
  static fromCounts(counts: ArrayLike<number>, edges: ArrayLike<number>): Histogram {
    let data: HistogramData;
    try {
      data = histogramFromCounts(counts, edges);
    } catch (error) {
      throw new MediaInvalidError(`Histogram.fromCounts: ${(error as Error).message}`, { cause: error });
    }
    const histogram = new Histogram([]);
    histogram.#data = data;
    return histogram;
  }

  async toMediaRef(): Promise<MediaRef> {
    return { ...(await this.compute()) };
  }

  /** The histogram (computing it on the tensor's backend the first time, for a tensor). */
  async compute(): Promise<HistogramData> {
    if (this.#data) return this.#data;
    const { retained, original, numBins } = this.#tensor!;
    try {
      this.#data = await tensorHistogram(retained, { numBins });
    } finally {
      releaseTensor(retained, original);
    }
    return this.#data;
  }
}
