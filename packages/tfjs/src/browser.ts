// @runlog/tfjs/browser: the callback logic that runs in a web page (no Node import below it, checked by a test):
// the hook relay, MetricsLogger, ModelCheckpoint's policy and watch(model) (gradient and parameter histograms).
// @runlog/browser builds its callbacks on it and sets the environment (its current run) with
// `setCallbackEnvironment`.

export type { CallbackEnvironment } from './callbackEnvironment.js';
export { callbackEnvironment, isTrainingRun, resolveRun, setCallbackEnvironment } from './callbackEnvironment.js';
export type { CheckpointOptions, LoggedCheckpoint } from './checkpointCallback.js';
export { CheckpointCallback } from './checkpointCallback.js';
export type { GradientListener } from './gradientTap.js';
export { isTapped, tapGradients } from './gradientTap.js';
export type { HookRelayOptions } from './hookRelay.js';
export { HookRelay } from './hookRelay.js';
export type { MetricsLoggerOptions } from './metricsLogger.js';
export { MetricsLogger } from './metricsLogger.js';
export { modelFiles } from './modelFiles.js';
export type { WatchedRun, WatchLog, WatchOptions } from './modelWatch.js';
export { ModelWatch } from './modelWatch.js';
export type { ProgressStream } from './progressBar.js';
export { ProgressBar } from './progressBar.js';
export type { Logs } from './readLogs.js';
export { RunlogCallback } from './runlogCallback.js';
export type { BinOn } from './tensorHistogram.js';
export { tensorHistogram } from './tensorHistogram.js';
export type { TrainingRun } from './trainingRun.js';
export { isWatched, unwatch, watch } from './watch.js';
