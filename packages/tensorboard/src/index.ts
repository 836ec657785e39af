// @runlog/tensorboard public surface: values first, then types.

export type { ExportedRun, ExportRunOptions } from './export/exportRun.js';
export { exportRun } from './export/exportRun.js';
export type { ExportTensorboardOptions } from './export/exportRuns.js';
export { exportRuns } from './export/exportRuns.js';
export { crc32c, maskedCrc32c } from './format/crc32c.js';
export { eventFileName } from './format/eventFileName.js';
export type { EventFileWriterOptions } from './format/eventFileWriter.js';
export { EventFileWriter } from './format/eventFileWriter.js';
export type { RecordScan } from './format/recordReader.js';
export { scanRecords } from './format/recordReader.js';
export type { ImportTensorboardOptions } from './import/importLogdir.js';
export { importTensorboard } from './import/importLogdir.js';
export type { ImportedRun, ImportRunOptions } from './import/importRun.js';
export { importRun } from './import/importRun.js';
export type { ImportStats } from './import/importStats.js';
export type { RunFolder } from './import/runFolders.js';
export { findRunFolders, SPLIT_FOLDERS } from './import/runFolders.js';
export type { DecodedEvent, SummaryValueView, ValueKind } from './proto/eventDecoder.js';
export { decodeEvent } from './proto/eventDecoder.js';
export { EventEncoder } from './proto/eventEncoder.js';
export type { TensorboardSinkOptions } from './sink/tensorboardSink.js';
export { TensorboardSink, tensorboardSink } from './sink/tensorboardSink.js';
export type { SyncTensorboardOptions, TailStats } from './tail/tensorboardTail.js';
export { syncTensorboard, TensorboardTail } from './tail/tensorboardTail.js';
export type { ScalarForm } from './values/encoderTarget.js';
export type { SkipCounts } from './values/summaryTarget.js';
