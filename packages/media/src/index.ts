// @runlog/media public surface: values first, then types.
export { DependencyMissingError } from './errors/dependencyMissingError.js';
export { MediaEncodeError } from './errors/mediaEncodeError.js';
export { MediaInvalidError } from './errors/mediaInvalidError.js';
export { Histogram } from './histogram.js';
export { Image } from './image.js';
export { Media } from './media.js';
export { isTensorLike } from './tensorLike.js';

export type { BoundingBox, BoundingBoxGroup, BoxPosition } from './boundingBoxes.js';
export type { ClassLabels } from './classLabels.js';
export type { ImageFormat, ImageMode } from './encodeImage.js';
export type { HistogramOptions } from './histogram.js';
export type { ImageOptions } from './image.js';
export type { ImageMask } from './imageMask.js';
export type { ImageInput, PixelArray, RawPixelOptions } from './imageSource.js';
export type { PixelLayout } from './rawImage.js';
export type { TensorLike } from './tensorLike.js';
