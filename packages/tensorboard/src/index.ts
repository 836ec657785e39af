// @runlog/tensorboard public surface: values first, then types.

export type { ExportedRun, ExportRunOptions } from './export/exportRun.js';
export { exportRun } from './export/exportRun.js';
export type { ExportTensorboardOptions } from './export/exportRuns.js';
export { exportRuns } from './export/exportRuns.js';
export { crc32c, maskedCrc32c } from './format/crc32c.js';
export type { TensorboardSinkOptions } from './sink/tensorboardSink.js';
export { TensorboardSink, tensorboardSink } from './sink/tensorboardSink.js';
export type { ScalarForm } from './values/encoderTarget.js';
export type { SkipCounts } from './values/summaryTarget.js';
