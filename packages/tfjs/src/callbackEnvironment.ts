import { RunlogError } from '@runlog/core/browser';
import type { Optimizer } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainingRun } from './trainingRun.js';

/**
 * Where the callbacks find what differs between Node and a web page: the current run (core's `getRun()` or
 * @runlog/browser's) and, in Node, the relay of optimizer steps to `beforeOptimizerStep` and watch's logGraph
 * (it writes a file). Each entry point sets it once (`@runlog/tfjs` for Node, `@runlog/browser` in a page), so the
 * callback logic itself is shared.
 */
export interface CallbackEnvironment {
  currentRun(): TrainingRun | undefined;
  relayOptimizerSteps?(run: TrainingRun, optimizer: Optimizer): () => void;
  /** Records a model's structure for `watch(model, { logGraph: true })`; absent in a web page. */
  logGraph?(run: TrainingRun, model: LayersModel): void;
}

let environment: CallbackEnvironment = { currentRun: () => undefined };

export function setCallbackEnvironment(next: CallbackEnvironment): void {
  environment = next;
}

export function callbackEnvironment(): CallbackEnvironment {
  return environment;
}

/** The run passed, else the current run; NO_ACTIVE_RUN names the caller. */
export function resolveRun<R extends TrainingRun = TrainingRun>(run: R | undefined, caller: string): R {
  const resolved = run ?? (environment.currentRun() as R | undefined);
  if (!resolved) {
    throw new RunlogError(
      'NO_ACTIVE_RUN',
      `${caller} needs a run: pass { run } or call \`await init({ project })\` first`,
    );
  }
  return resolved;
}

/** A run as hooks hand it over (`event.run`): one the callbacks can record into. */
export function isTrainingRun(value: unknown): value is TrainingRun {
  const run = value as Partial<TrainingRun> | null;
  return typeof run?.reportError === 'function' && typeof run.trackBackground === 'function' && run.hooks !== undefined;
}
