// @runlog/browser public surface: values first, then types.

export type { WatchLog, WatchOptions } from '@runlog/tfjs/browser';
export type { BrowserRunStatus, RunIdentity } from './browserRun.js';
export { BrowserRun } from './browserRun.js';
export type { BrowserStoreOptions, StoreWrite } from './browserStore.js';
export { BrowserStore, DEFAULT_MAX_BYTES } from './browserStore.js';
export type { CallbacksOptions, ModelCheckpointOptions } from './callbacks.js';
export { callbacks, HookRelay, isWatched, MetricsLogger, ModelCheckpoint, unwatch, watch } from './callbacks.js';
export type { LogOptions } from './historyLog.js';
export type { ImageOptions, ImageSource, ImageTensor } from './image.js';
export { Image } from './image.js';
export type { InitOptions } from './init.js';
export { finish, getRun, init, log } from './init.js';
export type { ResumeOptions, ResumeReport } from './resumeUploads.js';
export { pruneUploaded, resumeUploads } from './resumeUploads.js';
export type { AckRecord, RunRecord } from './runRecord.js';
export type { UploadOptions, UploadStatus } from './runUploader.js';
export { RunUploader } from './runUploader.js';
