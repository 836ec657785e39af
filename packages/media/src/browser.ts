// @runlog/media/browser: the part of media that runs in a web page (nothing below it imports Node, checked by
// packages/browser/test/noNodeImports.test.ts): histograms from arrays and tensors, the Histogram value, and the
// adapter toolkit's method wrapping. @runlog/tfjs/browser's watch(model) builds on it.

export { safeExecute } from './adapter/safeExecute.js';
export type { MethodName, WrapHandle, Wrapped } from './adapter/wrapMethod.js';
export { isWrapped, originalOf, wrapMethod } from './adapter/wrapMethod.js';
export { MediaInvalidError } from './errors/mediaInvalidError.js';
export type { HistogramOptions } from './histogram.js';
export { Histogram } from './histogram.js';
export { Media } from './media.js';
export type { BinOn, TensorHistogramOptions } from './tensorHistogram.js';
export { tensorHistogram, tensorHistogramSync } from './tensorHistogram.js';
export type { TensorLike } from './tensorLike.js';
export { isTensorLike, readTensor, readTensorSync } from './tensorLike.js';
