import type { HookName, HookPayloads, Run } from '@runlog/core';
import type { NamedTensorMap, Optimizer } from '@tensorflow/tfjs-core';
import { tapGradients } from './gradientTap.js';
import type { Logs } from './readLogs.js';

/** Runs a beforeOptimizerStep relay per run and optimizer once, however many parts of runlog ask for it. */
export function relayOptimizerSteps(run: Run, optimizer: Optimizer): () => void {
  return tapGradients(
    optimizer,
    {
      gradients(gradients: NamedTensorMap, step: number) {
        if (!run.hooks.has('beforeOptimizerStep')) return;
        const result = run.hooks.call('beforeOptimizerStep', { step, gradients });
        // applyGradients is synchronous: an async handler finishes on its own; its failure is reported.
        if (result) result.catch((error: unknown) => run.reportError(error, 'hook beforeOptimizerStep'));
      },
    },
    run.hooks,
  );
}

/**
 * Translates one tfjs fit into core's Lightning-order hooks on `run.hooks`, so a core `Callback` works inside
 * `model.fit`. One FitHooks per fit and run, however many runlog callbacks the fit has (see `fitHooksFor`).
 * A handler's error propagates (and fails the fit) after the `exception` and `teardown` hooks ran.
 */
export class FitHooks {
  private epoch = 0;
  private failed = false;
  private removeRelay?: () => void;

  constructor(
    private readonly run: Run,
    private readonly optimizer: Optimizer | undefined,
  ) {}

  trainBegin(params: Record<string, unknown>): Promise<void> {
    return this.guard(async () => {
      if (this.optimizer) this.removeRelay = relayOptimizerSteps(this.run, this.optimizer);
      await this.call('setup', { stage: 'fit' });
      await this.call('fitStart', {
        epochs: numberOrUndefined(params.epochs),
        batchSize: numberOrUndefined(params.batchSize),
        samples: numberOrUndefined(params.samples),
        params,
      });
      await this.call('trainStart', {});
    });
  }

  epochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    return this.guard(() => this.call('trainEpochStart', { epoch }));
  }

  batchBegin(batch: number): Promise<void> {
    return this.guard(() => this.call('trainBatchStart', { epoch: this.epoch, batch }));
  }

  batchEnd(batch: number, logs: Logs): Promise<void> {
    return this.guard(() => this.call('trainBatchEnd', { epoch: this.epoch, batch, logs }));
  }

  epochEnd(epoch: number, logs: Logs): Promise<void> {
    return this.guard(async () => {
      const validation = Object.entries(logs).filter(([key]) => key.startsWith('val_'));
      // tfjs validates inside fit without telling callbacks; the val_ logs show it happened this epoch.
      if (validation.length > 0) {
        await this.call('validationStart', { epoch });
        await this.call('validationEnd', { epoch, logs: Object.fromEntries(validation) });
      }
      await this.call('trainEpochEnd', { epoch, logs });
    });
  }

  trainEnd(logs: Logs): Promise<void> {
    return this.guard(async () => {
      await this.call('trainEnd', { logs });
      await this.call('fitEnd', { logs });
      this.end();
      await this.call('teardown', { stage: 'fit' });
    });
  }

  /** A runlog callback of this fit failed: tell the hooks once, then let the error go on. */
  async fail(error: unknown): Promise<void> {
    if (this.failed) return;
    this.failed = true;
    this.end();
    try {
      await this.call('exception', { error, stage: 'fit' });
      await this.call('teardown', { stage: 'fit' });
    } catch (hookError) {
      this.run.reportError(hookError, 'hook exception');
    }
  }

  private end(): void {
    this.removeRelay?.();
    this.removeRelay = undefined;
  }

  private async guard(work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (error) {
      await this.fail(error);
      throw error;
    }
  }

  private async call<K extends HookName>(name: K, payload: HookPayloads[K]): Promise<void> {
    if (this.run.hooks.has(name)) await this.run.hooks.call(name, payload);
  }
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

const fitHooks = new WeakMap<object, Map<Run, { hooks: FitHooks; owner: object }>>();

/**
 * The FitHooks of this fit (tfjs hands every callback of a fit the same `params` object) and run, and whether
 * `caller` owns it: only the owner, the first runlog callback of the fit, emits the hooks.
 */
export function fitHooksFor(
  params: object,
  run: Run,
  optimizer: Optimizer | undefined,
  caller: object,
): { hooks: FitHooks; owns: boolean } {
  let byRun = fitHooks.get(params);
  if (!byRun) {
    byRun = new Map();
    fitHooks.set(params, byRun);
  }
  let entry = byRun.get(run);
  if (!entry) {
    entry = { hooks: new FitHooks(run, optimizer), owner: caller };
    byRun.set(run, entry);
  }
  return { hooks: entry.hooks, owns: entry.owner === caller };
}
