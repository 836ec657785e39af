import type { Run } from '@runlog/core';
import { HookRelay } from './hookRelay.js';
import { MetricsLogger, type MetricsLoggerOptions } from './metricsLogger.js';
import { ModelCheckpoint, type ModelCheckpointOptions } from './modelCheckpoint.js';
import { PredictionLogger, type PredictionLoggerOptions } from './predictionLogger.js';
import type { RunlogCallback } from './runlogCallback.js';

export interface CallbacksOptions extends Omit<MetricsLoggerOptions, 'run'> {
  /** Default: the current run. */
  run?: Run;
  /** ModelCheckpoint options, or false for no checkpoints. Default: a checkpoint per epoch, `best` by val_loss. */
  checkpoint?: Omit<ModelCheckpointOptions, 'run'> | false;
  /** PredictionLogger options; no prediction table without them. */
  predictions?: Omit<PredictionLoggerOptions, 'run'>;
}

/**
 * The usual set in one call: a HookRelay (the tfjs side of core's hooks, so `run.hooks.addCallback(...)` works
 * in fit) driving MetricsLogger, ModelCheckpoint and (with `predictions`) PredictionLogger, all on the same run.
 * The loggers are in the list too, so you can keep a handle on them (`checkpoint.settled()`).
 * @example
 * await model.fit(xs, ys, { epochs: 5, validationSplit: 0.1, callbacks: callbacks({ run, logFreq: 'batch' }) });
 */
export function callbacks(options: CallbacksOptions = {}): [HookRelay, ...RunlogCallback[]] {
  const { run, checkpoint = {}, predictions, ...metrics } = options;
  const loggers: RunlogCallback[] = [new MetricsLogger({ run, ...metrics })];
  if (checkpoint !== false) loggers.push(new ModelCheckpoint({ run, ...checkpoint }));
  if (predictions) loggers.push(new PredictionLogger({ run, ...predictions }));
  return [new HookRelay({ run, callbacks: loggers }), ...loggers];
}
