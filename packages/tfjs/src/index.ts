// @runlog/tfjs public surface: values first, then types.
import { getRun, type Run } from '@runlog/core';
import { setCallbackEnvironment } from './callbackEnvironment.js';
import { logGraph } from './logGraph.js';
import { relayOptimizerSteps } from './optimizerStepRelay.js';

// The callbacks' and watch's logic is shared with the browser entry; in Node they record into core's current run,
// relay optimizer steps to `beforeOptimizerStep` and let watch write the model graph (no I/O here: where to look).
setCallbackEnvironment({
  currentRun: getRun,
  relayOptimizerSteps,
  logGraph: (run, model) => logGraph(run as Run, model),
});

export type { CallbacksOptions } from './callbacks.js';
export { callbacks } from './callbacks.js';
export type { CheckpointOptions, LoggedCheckpoint } from './checkpointCallback.js';
export { CheckpointCallback } from './checkpointCallback.js';
export type { GradientListener } from './gradientTap.js';
export { isTapped, tapGradients } from './gradientTap.js';
export type { HookRelayOptions } from './hookRelay.js';
export { HookRelay } from './hookRelay.js';
export { loadModel } from './loadModel.js';
export { logGraph } from './logGraph.js';
export type { MetricsLoggerOptions } from './metricsLogger.js';
export { MetricsLogger } from './metricsLogger.js';
export type { ModelCheckpointOptions } from './modelCheckpoint.js';
export { ModelCheckpoint } from './modelCheckpoint.js';
export { MODEL_JSON, modelDirHandler, WEIGHTS_BIN } from './modelDirHandler.js';
export type { WatchedRun, WatchLog, WatchOptions } from './modelWatch.js';
export { ModelWatch } from './modelWatch.js';
export type { PredictionLoggerOptions } from './predictionLogger.js';
export { PredictionLogger } from './predictionLogger.js';
export type { ProgressStream } from './progressBar.js';
export { ProgressBar } from './progressBar.js';
export type { Logs } from './readLogs.js';
export { RunlogCallback } from './runlogCallback.js';
export type { BinOn } from './tensorHistogram.js';
export { tensorHistogram } from './tensorHistogram.js';
export type { TrainingRun } from './trainingRun.js';
export { isWatched, unwatch, watch } from './watch.js';
