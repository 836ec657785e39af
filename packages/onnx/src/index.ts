// @runlog/onnx public surface: values first, then types.

export type { InferenceSessionLike } from './inferenceSessionLike.js';
export { loadSession } from './loadSession.js';
export type { LogModelOptions, OnnxArtifactMetadata } from './logModel.js';
export { logModel } from './logModel.js';
export type { InputSample, LogPredictionsOptions } from './logPredictions.js';
export { logPredictions } from './logPredictions.js';
export type { OrtTensorLike, TensorLike, TensorMap } from './ortTensorLike.js';
export type { OnnxDim, OnnxModelMetadata, OnnxValueInfo } from './readOnnxMetadata.js';
export { readOnnxMetadata } from './readOnnxMetadata.js';
export type { TensorStats } from './tensorStats.js';
export type { WatchOptions } from './watch.js';
export { isWatched, unwatch, watch } from './watch.js';
