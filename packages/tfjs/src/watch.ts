import { RunlogError } from '@runlog/core/browser';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { callbackEnvironment } from './callbackEnvironment.js';
import { ModelWatch, type WatchedRun, type WatchOptions } from './modelWatch.js';

// Browser-safe: the current run comes from the callback environment (core's in Node, @runlog/browser's in a page).

/** Every watched model (iterable, so `unwatch()` finds a run's models); a run's finish removes its own. */
const watched = new Map<LayersModel, ModelWatch>();

/**
 * Logs a model's gradients and/or parameters while it trains: in fit, fitDataset, and custom loops that call
 * `optimizer.minimize` (pass `{ optimizer }` when the model is not compiled). Several models: `watch([a, b])`.
 * Watching a watched model is an ALREADY_WATCHED error; `unwatch(model)`, `unwatch()` (every model of the run)
 * or the run finishing restores the optimizer exactly.
 * @example
 * watch(model, { run, log: 'all', logFreq: 50, logGraph: true });
 * await model.fit(xs, ys, { epochs: 5, callbacks: callbacks({ run }) });
 * unwatch(model);
 */
export function watch<R extends WatchedRun>(model: LayersModel, options?: WatchOptions<R>): ModelWatch<R>;
export function watch<R extends WatchedRun>(models: LayersModel[], options?: WatchOptions<R>): ModelWatch<R>[];
export function watch<R extends WatchedRun>(
  models: LayersModel | LayersModel[],
  options: WatchOptions<R> = {},
): ModelWatch<R> | ModelWatch<R>[] {
  if (!Array.isArray(models)) return watchOne(models, options);
  if (new Set(models).size !== models.length)
    throw new RunlogError('INVALID_ARGUMENT', 'watch: the same model appears twice in the list');
  for (const model of models) assertNotWatched(model);
  const handles: ModelWatch<R>[] = [];
  try {
    for (const model of models) handles.push(watchOne(model, options));
  } catch (error) {
    for (const handle of handles) unwatchOne(handle.model); // all or nothing
    throw error;
  }
  return handles;
}

function watchOne<R extends WatchedRun>(model: LayersModel, options: WatchOptions<R>): ModelWatch<R> {
  assertNotWatched(model);
  const handle = new ModelWatch<R>(model, options, () => unwatchOne(model));
  watched.set(model, handle);
  return handle;
}

function assertNotWatched(model: LayersModel): void {
  const current = watched.get(model);
  if (current) {
    throw new RunlogError(
      'ALREADY_WATCHED',
      `watch: model ${model.name} is already watched by run ${current.run.project}/${current.run.id}: call unwatch(model) first`,
    );
  }
}

/**
 * Stops watching `model` (or each model of a list); with no model, every model watched by `options.run` (default
 * the current run; with no run at all, every watched model), as wandb's `run.unwatch()`. Returns whether
 * anything was being watched.
 */
export function unwatch(models?: LayersModel | LayersModel[], options: { run?: WatchedRun } = {}): boolean {
  if (models === undefined) {
    const run = options.run ?? callbackEnvironment().currentRun();
    const ofRun = [...watched].filter(([, handle]) => run === undefined || handle.run === run);
    for (const [model] of ofRun) unwatchOne(model);
    return ofRun.length > 0;
  }
  let any = false;
  for (const model of Array.isArray(models) ? models : [models]) any = unwatchOne(model) || any;
  return any;
}

function unwatchOne(model: LayersModel): boolean {
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
