import { RunlogError } from '@runlog/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ModelWatch, type WatchOptions } from './modelWatch.js';

const watched = new WeakMap<LayersModel, ModelWatch>();

/**
 * Logs a model's gradients and/or parameters while it trains: in fit, fitDataset, and custom loops that call
 * `optimizer.minimize` (pass `{ optimizer }` when the model is not compiled). Watching a watched model is an
 * ALREADY_WATCHED error; `unwatch(model)` (or the run finishing) restores the optimizer exactly.
 * @example
 * watch(model, { run, log: 'all', logFreq: 50, logGraph: true });
 * await model.fit(xs, ys, { epochs: 5, callbacks: callbacks({ run }) });
 * unwatch(model);
 */
export function watch(model: LayersModel, options: WatchOptions = {}): ModelWatch {
  const current = watched.get(model);
  if (current) {
    throw new RunlogError(
      'ALREADY_WATCHED',
      `watch: model ${model.name} is already watched by run ${current.run.path}: call unwatch(model) first`,
    );
  }
  const handle = new ModelWatch(model, options, () => unwatch(model));
  watched.set(model, handle);
  return handle;
}

/** Stops watching `model`; returns false (and does nothing) when it was not watched. */
export function unwatch(model: LayersModel): boolean {
  const handle = watched.get(model);
  if (!handle) return false;
  watched.delete(model);
  handle.stop();
  return true;
}

/** True while `model` is watched. */
export function isWatched(model: LayersModel): boolean {
  return watched.has(model);
}
