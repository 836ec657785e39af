import type { NamedTensorMap, Optimizer } from '@tensorflow/tfjs-core';
import { tapGradients } from './gradientTap.js';
import type { TrainingRun } from './trainingRun.js';

/**
 * Emits core's `beforeOptimizerStep` on `run.hooks` at every step of `optimizer`, once per run and optimizer
 * however many parts of runlog ask (the fit relay, watch). applyGradients is synchronous: an async handler
 * finishes on its own. A handler that throws or rejects is reported on the run (counted in
 * `run.status().errors`) and the step is applied all the same.
 */
export function relayOptimizerSteps(run: TrainingRun, optimizer: Optimizer): () => void {
  return tapGradients(
    optimizer,
    {
      gradients(gradients: NamedTensorMap, step: number) {
        if (run.hooks.has('beforeOptimizerStep')) return run.hooks.call('beforeOptimizerStep', { step, gradients });
      },
      error(error: unknown) {
        run.reportError(error, 'hook beforeOptimizerStep');
      },
    },
    run.hooks,
  );
}
