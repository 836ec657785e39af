// @runlog/media public surface: values first, then types.

// The adapter toolkit, shared by @runlog/tfjs, @runlog/onnx and any adapter you write: the run an adapter
// records into, OpenTelemetry-style method wrapping, and numpy-exact tensor histograms on the tensor's backend.
export { resolveRun } from './adapter/resolveRun.js';
export { safeExecute } from './adapter/safeExecute.js';
export type { MethodName, WrapHandle, Wrapped } from './adapter/wrapMethod.js';
export { isWrapped, originalOf, wrapMethod } from './adapter/wrapMethod.js';
export type { BinOn, TensorHistogramOptions } from './tensorHistogram.js';
export { tensorHistogram, tensorHistogramSync } from './tensorHistogram.js';
export { readTensor, readTensorSync } from './tensorLike.js';

// Media values

export type { AudioOptions } from './audio.js';
export { Audio } from './audio.js';
export type { BoundingBox, BoundingBoxGroup, BoxPosition } from './boundingBoxes.js';
export type { ClassLabels } from './classLabels.js';
export type { ImageFormat, ImageMode } from './encodeImage.js';
export { DependencyMissingError } from './errors/dependencyMissingError.js';
export { MediaEncodeError } from './errors/mediaEncodeError.js';
export { MediaInvalidError } from './errors/mediaInvalidError.js';
export type { FfmpegSearch } from './ffmpegLocator.js';
export { defaultFfmpegSearch, resolveFfmpeg } from './ffmpegLocator.js';
export type { HistogramOptions } from './histogram.js';
export { Histogram } from './histogram.js';
export { Html } from './html.js';
export type { ImageOptions } from './image.js';
export { Image } from './image.js';
export type { ImageMask } from './imageMask.js';
export type { ImageInput, PixelArray, RawPixelOptions } from './imageSource.js';
export { Media } from './media.js';
export * as metrics from './metrics/index.js';
export type { PrecisionRecallPoints } from './metrics/precisionRecallCurve.js';
export type { RocCurvePoints } from './metrics/rocCurve.js';
export type { Object3DFormat, Object3DOptions } from './object3D.js';
export { Object3D } from './object3D.js';
export type { ChartKind } from './plot/chart.js';
export { Chart } from './plot/chart.js';
export type { ClassLabelInput, ClassProbabilities } from './plot/classPredictions.js';
export type { ConfusionMatrixInput } from './plot/confusionMatrix.js';
export { ConfusionMatrixChart } from './plot/confusionMatrix.js';
export * as plot from './plot/index.js';
export { PrCurveChart } from './plot/prCurveChart.js';
export { RocCurveChart } from './plot/rocCurveChart.js';
export type { ChartOptions } from './plot/tableCharts.js';
export type { PixelLayout } from './rawImage.js';
export type { TableCell, TableOptions } from './table.js';
export { MAX_TABLE_ROWS, Table } from './table.js';
export type { TensorLike } from './tensorLike.js';
export { isTensorLike } from './tensorLike.js';
export { Text } from './text.js';
export type { VideoFormat, VideoOptions } from './video.js';
export { Video } from './video.js';
export type { VideoLayout } from './videoFrames.js';
