import type { JsonObject } from '@runlog/core/browser';
import {
  CheckpointCallback,
  type CheckpointOptions,
  HookRelay,
  isWatched,
  type LoggedCheckpoint,
  MetricsLogger,
  type MetricsLoggerOptions,
  modelFiles,
  type RunlogCallback,
  setCallbackEnvironment,
  unwatch,
  watch,
} from '@runlog/tfjs/browser';
import type { io } from '@tensorflow/tfjs-core';
import type { BrowserRun } from './browserRun.js';
import { getRun } from './init.js';

// The tfjs callbacks' logic is @runlog/tfjs's (shared with Node); in a page they record into this package's run.
setCallbackEnvironment({ currentRun: getRun });

export type ModelCheckpointOptions = CheckpointOptions<BrowserRun>;

/**
 * @runlog/tfjs's ModelCheckpoint in a web page: the same choice of epochs, aliases (`latest`, `epoch-<N>`, `best`)
 * and metadata; each checkpoint (model.json + weights.bin, as tfjs-node's file:// writes them) is stored in the
 * page's storage as a version of the model artifact and uploaded with the run.
 * @example
 * await model.fit(xs, ys, { epochs: 5, validationSplit: 0.1, callbacks: [new ModelCheckpoint({ run })] });
 */
export class ModelCheckpoint extends CheckpointCallback<BrowserRun> {
  protected async logCheckpoint(
    artifacts: io.ModelArtifacts,
    aliases: string[],
    metadata: JsonObject,
  ): Promise<LoggedCheckpoint> {
    const { modelJson, weights } = modelFiles(artifacts, 'weights.bin');
    const files = [
      { path: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) },
      { path: 'weights.bin', bytes: new Uint8Array(weights) },
    ];
    return this.run.logArtifactFiles(this.name, 'model', files, { metadata, aliases });
  }
}

export interface CallbacksOptions extends Omit<MetricsLoggerOptions, 'run'> {
  run?: BrowserRun;
  /** ModelCheckpoint options, or false for no checkpoints. Default: a checkpoint per epoch, `best` by val_loss. */
  checkpoint?: Omit<ModelCheckpointOptions, 'run'> | false;
}

/**
 * The usual set for `model.fit` in a page: a HookRelay driving MetricsLogger and ModelCheckpoint on the run.
 * @example
 * await model.fit(xs, ys, { epochs: 5, callbacks: callbacks({ run, logFreq: 'batch' }) });
 */
export function callbacks(options: CallbacksOptions = {}): [HookRelay, ...RunlogCallback[]] {
  const { run, checkpoint = {}, ...metrics } = options;
  const loggers: RunlogCallback[] = [new MetricsLogger({ run, progress: false, ...metrics })];
  if (checkpoint !== false) loggers.push(new ModelCheckpoint({ run, ...checkpoint }));
  return [new HookRelay({ run, callbacks: loggers }), ...loggers];
}

// watch(model): @runlog/tfjs's gradient and parameter histograms, logged into this package's run.
export { HookRelay, isWatched, MetricsLogger, unwatch, watch };
