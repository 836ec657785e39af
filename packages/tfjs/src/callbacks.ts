import type { Run } from '@runlog/core';
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
 * The usual set in one call: MetricsLogger, ModelCheckpoint and (with `predictions`) PredictionLogger, all on
 * the same run. The first of them also emits core's hooks, so `run.hooks.addCallback(...)` works in fit.
 * @example
 * await model.fit(xs, ys, { epochs: 5, validationSplit: 0.1, callbacks: callbacks({ run, logFreq: 'batch' }) });
 */
export function callbacks(options: CallbacksOptions = {}): RunlogCallback[] {
  const { run, checkpoint = {}, predictions, ...metrics } = options;
  const list: RunlogCallback[] = [new MetricsLogger({ run, ...metrics })];
  if (checkpoint !== false) list.push(new ModelCheckpoint({ run, ...checkpoint }));
  if (predictions) list.push(new PredictionLogger({ run, ...predictions }));
  return list;
}
