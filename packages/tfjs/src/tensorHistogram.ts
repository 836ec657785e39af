import { DEFAULT_HISTOGRAM_BINS, type HistogramData } from '@runlog/core/browser';
import { tensorHistogramSync } from '@runlog/media/browser';
import { getBackend, type Tensor } from '@tensorflow/tfjs-core';

/** Where a histogram is binned: media's 'backend' or 'host', or 'auto' (see `tensorHistogram`). */
export type BinOn = 'auto' | 'backend' | 'host';

/** Backends whose tensors live in this process's memory: reading one is a memcpy, not a device transfer. */
const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm']);

/**
 * numpy.histogram of a tensor's finite values (exactly core's `computeHistogram`), read now: @runlog/media's
 * tensor histogram with tfjs's backend choice. `'auto'` (default) bins on the host for cpu and wasm, whose
 * tensors already live in process memory, and on the backend (counts-only download) for every other backend.
 */
export function tensorHistogram(x: Tensor, numBins = DEFAULT_HISTOGRAM_BINS, binOn: BinOn = 'auto'): HistogramData {
  const where = binOn === 'auto' ? (HOST_MEMORY_BACKENDS.has(getBackend()) ? 'host' : 'backend') : binOn;
  return tensorHistogramSync(x, { numBins, binOn: where });
}
