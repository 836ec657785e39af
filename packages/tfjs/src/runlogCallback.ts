import type { Run } from '@runlog/core';
import { Callback } from '@tensorflow/tfjs-layers';
import { type FitHooks, fitHooksFor } from './fitHooks.js';
import { type Logs, readLogs, type UnresolvedLogs } from './readLogs.js';
import { resolveRun } from './resolveRun.js';

const YIELD_EVERY_MS = 1000;

/**
 * Base of runlog's tfjs callbacks: a real `tf.Callback`, so `fit` and `fitDataset` accept it next to tfjs's own
 * (`[new MetricsLogger(), tf.callbacks.earlyStopping()]`). It resolves the run (the one passed, else the current
 * run) when training starts, hands subclasses plain-number logs, and makes the first runlog callback of a fit
 * emit core's hooks. A subclass's own failure is reported on the run and never stops training.
 */
export abstract class RunlogCallback extends Callback {
  private runOption?: Run;
  private resolvedRun?: Run;
  private fitHooks?: FitHooks;
  private ownsHooks = false;
  private lastYield = 0;

  constructor(run: Run | undefined) {
    super();
    this.runOption = run;
  }

  /** The run this callback records into (resolved when training starts). */
  get run(): Run {
    this.resolvedRun ??= resolveRun(this.runOption, this.constructor.name);
    return this.resolvedRun;
  }

  protected trainBegin(_params: Record<string, unknown>): void | Promise<void> {}
  protected epochBegin(_epoch: number): void | Promise<void> {}
  protected batchEnd(_batch: number, _logs: Logs): void | Promise<void> {}
  protected epochEnd(_epoch: number, _logs: Logs): void | Promise<void> {}
  protected trainEnd(_logs: Logs): void | Promise<void> {}

  override async onTrainBegin(): Promise<void> {
    this.resolvedRun = resolveRun(this.runOption, this.constructor.name);
    const params = this.params as Record<string, unknown>;
    const { hooks, owns } = fitHooksFor(params, this.resolvedRun, this.model?.optimizer, this);
    this.fitHooks = hooks;
    this.ownsHooks = owns;
    if (owns) await hooks.trainBegin(params);
    await this.safely('trainBegin', () => this.trainBegin(params));
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    if (this.ownsHooks) await this.fitHooks!.epochBegin(epoch);
    await this.safely('epochBegin', () => this.epochBegin(epoch));
  }

  override async onBatchBegin(batch: number): Promise<void> {
    // Logs are not read here: tfjs reuses this batch's logs object for onBatchEnd (see readLogs).
    if (this.ownsHooks) await this.fitHooks!.batchBegin(batch);
  }

  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    const numbers = await readLogs(logs);
    if (this.ownsHooks) await this.fitHooks!.batchEnd(batch, numbers);
    await this.safely('batchEnd', () => this.batchEnd(batch, numbers));
    this.honourStopRequest();
    if (this.ownsHooks) await this.yieldNow();
  }

  /** A run asked to stop early (a sweep's early termination: `run.stopRequested`) ends the fit after this batch. */
  private honourStopRequest(): void {
    if (this.resolvedRun?.stopRequested && this.model) this.model.stopTraining = true;
  }

  /**
   * tfjs's fit only awaits already-resolved promises between batches, so without a yield the event loop never
   * turns during an epoch: history would not reach the disk and piped output would pile up until fit returns.
   * The first runlog callback of a fit lets it turn about once a second (one setImmediate: microseconds).
   */
  private async yieldNow(): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_EVERY_MS) return;
    this.lastYield = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const numbers = await readLogs(logs);
    if (this.ownsHooks) await this.fitHooks!.epochEnd(epoch, numbers);
    await this.safely('epochEnd', () => this.epochEnd(epoch, numbers));
    this.honourStopRequest();
  }

  override async onTrainEnd(logs?: UnresolvedLogs): Promise<void> {
    const numbers = await readLogs(logs);
    await this.safely('trainEnd', () => this.trainEnd(numbers));
    if (this.ownsHooks) await this.fitHooks!.trainEnd(numbers);
  }

  /** Runs this callback's own work: a failure is reported on the run (run.status().errors), training goes on. */
  private async safely(what: string, work: () => void | Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.resolvedRun?.reportError(error, `${this.constructor.name}.${what}`);
    }
  }
}
