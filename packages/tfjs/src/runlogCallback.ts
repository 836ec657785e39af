import type { HookName, RunLike } from '@runlog/core/browser';
import { Callback as TfCallback } from '@tensorflow/tfjs-layers';
import { isTrainingRun, resolveRun } from './callbackEnvironment.js';
import { HookRelay } from './hookRelay.js';
import type { UnresolvedLogs } from './readLogs.js';
import type { TrainingRun } from './trainingRun.js';

/**
 * Base of runlog's tfjs loggers (MetricsLogger, ModelCheckpoint, PredictionLogger): core callbacks whose work
 * is in core hook methods (`fitStart`, `trainBatchEnd`, `trainEpochEnd`...), driven by a `HookRelay` in a tfjs
 * fit, or by `run.hooks.call(...)` in a custom loop. Each is also a real `tf.Callback` (a class cannot extend
 * both), so `fit` and `fitDataset` take it on its own or next to tfjs's callbacks: there it joins the fit's relay,
 * or starts one for itself when the fit has none. Its own failures are reported on the run
 * (`run.status().errors`) and never stop training.
 */
export abstract class RunlogCallback<R extends TrainingRun = TrainingRun> extends TfCallback {
  private readonly runOption?: R;
  private boundRun?: R;
  /** The relay this callback started because its fit had none; it forwards tfjs's events to it. */
  private ownRelay?: HookRelay;

  constructor(run: R | undefined) {
    super();
    this.runOption = run;
  }

  /** The run this callback records into: the one passed, else the run whose hooks drive it, else the current run. */
  get run(): R {
    this.boundRun ??= resolveRun<R>(this.runOption, this.constructor.name);
    return this.boundRun;
  }

  /** Binds to the run of `event` (unless a run was passed) at the start of a fit. */
  protected bindRun(event: { run: RunLike }): R {
    this.boundRun =
      this.runOption ?? (isTrainingRun(event.run) ? (event.run as R) : resolveRun<R>(undefined, this.constructor.name));
    return this.boundRun;
  }

  /** Runs this callback's own work for `hook`: a failure is reported on the run, training goes on. */
  protected safely<T>(hook: HookName, work: () => T): T | undefined {
    const report = (error: unknown) => {
      try {
        this.run.reportError(error, `${this.constructor.name}.${hook}`);
      } catch {
        // the reporter itself failed: nothing more can be done without hurting training
      }
      return undefined;
    };
    try {
      const result = work();
      if (typeof (result as Promise<unknown> | null)?.then === 'function') {
        return (result as Promise<unknown>).then(undefined, report) as T;
      }
      return result;
    } catch (error) {
      return report(error);
    }
  }

  override async onTrainBegin(logs?: UnresolvedLogs): Promise<void> {
    const run = resolveRun(this.runOption, this.constructor.name);
    const driving = HookRelay.driving(this.params as object, run);
    this.ownRelay = undefined;
    if (driving) {
      driving.attach(this);
      return;
    }
    const relay = new HookRelay({ run, callbacks: [this] });
    relay.setParams(this.params);
    relay.setModel(this.model);
    this.ownRelay = relay;
    await relay.onTrainBegin(logs);
  }

  override async onEpochBegin(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    await this.ownRelay?.onEpochBegin(epoch, logs);
  }

  override async onBatchBegin(batch: number, logs?: UnresolvedLogs): Promise<void> {
    await this.ownRelay?.onBatchBegin(batch, logs);
  }

  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    await this.ownRelay?.onBatchEnd(batch, logs);
  }

  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    await this.ownRelay?.onEpochEnd(epoch, logs);
  }

  override async onTrainEnd(logs?: UnresolvedLogs): Promise<void> {
    const relay = this.ownRelay;
    this.ownRelay = undefined;
    await relay?.onTrainEnd(logs);
  }
}
