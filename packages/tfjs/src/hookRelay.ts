import type { Callback, CallbackLike, HookName, HookPayloads } from '@runlog/core/browser';
import { Callback as TfCallback } from '@tensorflow/tfjs-layers';
import { callbackEnvironment, resolveRun } from './callbackEnvironment.js';
import { readLogs, type UnresolvedLogs } from './readLogs.js';
import type { TrainingRun } from './trainingRun.js';

export interface HookRelayOptions {
  /** Default: the current run. */
  run?: TrainingRun;
  /** Core callbacks to drive during this relay's fits (on `run.hooks` from train begin to teardown). */
  callbacks?: HookCallback[];
}

/** A core `Callback`, or any object with some of its hook methods (as `run.hooks.addCallback` takes). */
type HookCallback = Callback | CallbackLike | object;

const YIELD_EVERY_MS = 1000;

/** The relay of each fit in progress, by the params object tfjs hands every callback of one fit, and run. */
const relays = new WeakMap<object, Map<TrainingRun, HookRelay>>();

/** What one fit needs; a relay instance can serve several fits in a row. */
interface FitState {
  readonly run: TrainingRun;
  readonly params: object;
  readonly attached: Map<HookCallback, () => void>;
  started: boolean;
  ended: boolean;
  epoch: number;
  epochSamples: number;
  lastYield: number;
  removeStepRelay?: () => void;
}

/**
 * The tfjs side of core's hooks: a `tf.Callback` that turns one fit's tfjs events into core's Lightning-order
 * hooks on `run.hooks` (setup, fitStart, trainStart, trainEpochStart, trainBatchStart, beforeOptimizerStep,
 * trainBatchEnd, validationStart/End, trainEpochEnd, trainEnd, fitEnd, teardown; exception + teardown when a
 * handler throws, which then fails the fit), with plain-number logs, the batch and epoch sample counts and the
 * learning rate. runlog's own loggers are core callbacks driven by it: `callbacks()` always adds one, and a
 * logger passed to `fit` on its own starts one for itself. One relay drives a fit per run: a relay that finds
 * another already driving hands it its callbacks and stays quiet.
 * @example
 * run.hooks.addCallback(new MyCallback()); // a core Callback, written once for tfjs, onnx or a custom loop
 * await model.fit(xs, ys, { epochs: 5, callbacks: [new HookRelay({ run })] });
 */
export class HookRelay extends TfCallback {
  private readonly runOption?: TrainingRun;
  private readonly callbacks: HookCallback[];
  private fit?: FitState;

  constructor(options: HookRelayOptions = {}) {
    super();
    this.runOption = options.run;
    this.callbacks = options.callbacks ?? [];
  }

  /** The relay driving the fit whose callbacks share `params`, for `run`, if one started. */
  static driving(params: object, run: TrainingRun): HookRelay | undefined {
    return relays.get(params)?.get(run);
  }

  /** Registers `callback` on the run's hooks until this fit's teardown (once, however often it is asked). */
  attach(callback: HookCallback): void {
    const fit = this.fit;
    if (!fit || fit.ended || fit.attached.has(callback)) return;
    fit.attached.set(callback, fit.run.hooks.addCallback(callback));
  }

  override async onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    const run = resolveRun(this.runOption, 'HookRelay');
    const params = this.params as object;
    const other = HookRelay.driving(params, run);
    if (other && other !== this) {
      for (const callback of this.callbacks) other.attach(callback);
      this.fit = undefined;
      return;
    }
    let byRun = relays.get(params);
    if (!byRun) {
      byRun = new Map();
      relays.set(params, byRun);
    }
    byRun.set(run, this);
    const fit: FitState = {
      run,
      params,
      attached: new Map(),
      started: false,
      ended: false,
      epoch: 0,
      epochSamples: 0,
      lastYield: 0,
    };
    this.fit = fit;
    for (const callback of this.callbacks) this.attach(callback);
    // The start hooks wait for the first epoch: every callback of the fit has had its onTrainBegin (and attached).
  }

  override async onEpochBegin(epoch: number, _logs?: UnresolvedLogs): Promise<void> {
    const fit = this.fit;
    if (!fit) return;
    await this.guard(fit, async () => {
      await this.start(fit);
      fit.epoch = epoch;
      fit.epochSamples = 0;
      await this.call(fit, 'trainEpochStart', { epoch });
    });
  }

  override async onBatchBegin(batch: number, _logs?: UnresolvedLogs): Promise<void> {
    // Logs are not read here: tfjs reuses this batch's logs object for onBatchEnd (see readLogs).
    const fit = this.fit;
    if (fit) await this.guard(fit, () => this.call(fit, 'trainBatchStart', { epoch: fit.epoch, batch }));
  }

  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    const fit = this.fit;
    if (!fit) return;
    await this.guard(fit, async () => {
      const numbers = await readLogs(logs);
      const samples = typeof numbers.size === 'number' ? numbers.size : undefined;
      fit.epochSamples += samples ?? 0;
      await this.call(fit, 'trainBatchEnd', {
        epoch: fit.epoch,
        batch,
        logs: numbers,
        samples,
        learningRate: this.learningRate(),
      });
    });
    this.honourStopRequest(fit);
    await this.yieldNow(fit);
  }

  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const fit = this.fit;
    if (!fit) return;
    await this.guard(fit, async () => {
      const numbers = await readLogs(logs);
      const validation = Object.entries(numbers).filter(([key]) => key.startsWith('val_'));
      // tfjs validates inside fit without telling callbacks; the val_ logs show it happened this epoch.
      if (validation.length > 0) {
        await this.call(fit, 'validationStart', { epoch });
        await this.call(fit, 'validationEnd', { epoch, logs: Object.fromEntries(validation) });
      }
      const samples = fit.epochSamples > 0 ? fit.epochSamples : undefined;
      await this.call(fit, 'trainEpochEnd', { epoch, logs: numbers, samples, learningRate: this.learningRate() });
    });
    this.honourStopRequest(fit);
  }

  /** A run asked to stop early (a sweep's early termination: `run.stopRequested`) ends the fit after this batch. */
  private honourStopRequest(fit: FitState): void {
    if (fit.run.stopRequested && this.model) this.model.stopTraining = true;
  }

  override async onTrainEnd(logs?: UnresolvedLogs): Promise<void> {
    const fit = this.fit;
    if (!fit) return;
    await this.guard(fit, async () => {
      await this.start(fit);
      const numbers = await readLogs(logs);
      await this.call(fit, 'trainEnd', { logs: numbers });
      await this.call(fit, 'fitEnd', { logs: numbers });
      fit.removeStepRelay?.();
      await this.call(fit, 'teardown', { stage: 'fit' });
    });
    this.end(fit);
  }

  private async start(fit: FitState): Promise<void> {
    if (fit.started) return;
    fit.started = true;
    const optimizer = this.model?.optimizer;
    const relaySteps = callbackEnvironment().relayOptimizerSteps;
    if (optimizer && relaySteps) fit.removeStepRelay = relaySteps(fit.run, optimizer);
    const params = this.params as Record<string, unknown>;
    await this.call(fit, 'setup', { stage: 'fit', model: this.model });
    await this.call(fit, 'fitStart', {
      epochs: numberOrUndefined(params.epochs),
      batchSize: numberOrUndefined(params.batchSize),
      samples: numberOrUndefined(params.samples),
      stepsPerEpoch: stepsPerEpoch(params),
      params,
      model: this.model,
    });
    await this.call(fit, 'trainStart', {});
  }

  /** A handler failed: `exception` and `teardown` (their own errors reported), then the error fails the fit. */
  private async guard(fit: FitState, work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!fit.ended) {
        fit.removeStepRelay?.();
        try {
          await this.call(fit, 'exception', { error, stage: 'fit' });
          await this.call(fit, 'teardown', { stage: 'fit' });
        } catch (hookError) {
          fit.run.reportError(hookError, 'hook exception');
        }
        this.end(fit);
      }
      throw error;
    }
  }

  private end(fit: FitState): void {
    if (fit.ended) return;
    fit.ended = true;
    fit.removeStepRelay?.();
    for (const detach of fit.attached.values()) detach();
    fit.attached.clear();
    const byRun = relays.get(fit.params);
    if (byRun?.get(fit.run) === this) byRun.delete(fit.run);
  }

  private call<K extends HookName>(fit: FitState, name: K, payload: HookPayloads[K]): void | Promise<void> {
    if (fit.run.hooks.has(name)) return fit.run.hooks.call(name, payload);
  }

  private learningRate(): number | undefined {
    const optimizer = this.model?.optimizer as { learningRate?: unknown } | undefined;
    return typeof optimizer?.learningRate === 'number' ? optimizer.learningRate : undefined;
  }

  /**
   * tfjs's fit only awaits already-resolved promises between batches, so without a yield the event loop never
   * turns during an epoch: history would not reach the disk and piped output would pile up until fit returns.
   * The relay lets it turn about once a second (one setImmediate: microseconds).
   */
  private async yieldNow(fit: FitState): Promise<void> {
    const now = performance.now();
    if (now - fit.lastYield < YIELD_EVERY_MS) return;
    fit.lastYield = now;
    await new Promise<void>((resolve) => yieldToEventLoop(resolve));
  }
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Batches per epoch: fit gives samples and batchSize, fitDataset gives batchesPerEpoch as `steps`. */
function stepsPerEpoch(params: Record<string, unknown>): number | undefined {
  if (typeof params.steps === 'number') return params.steps;
  if (typeof params.samples === 'number' && typeof params.batchSize === 'number' && params.batchSize > 0)
    return Math.ceil(params.samples / params.batchSize);
  return undefined;
}

/** setImmediate in Node; a web page has none, and a zero timeout lets its event loop (and IndexedDB) turn. */
function yieldToEventLoop(resolve: () => void): void {
  if (typeof setImmediate === 'function') setImmediate(resolve);
  else setTimeout(resolve, 0);
}
