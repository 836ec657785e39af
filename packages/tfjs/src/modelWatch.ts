import { RunlogError } from '@runlog/core/browser';
import { Histogram } from '@runlog/media/browser';
import type { NamedTensorMap, Optimizer, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { callbackEnvironment, resolveRun } from './callbackEnvironment.js';
import { gradientNorms, nonFiniteGradients } from './gradientNorms.js';
import { tapGradients } from './gradientTap.js';
import { relayOptimizerSteps } from './optimizerStepRelay.js';
import { type BinOn, tensorHistogram } from './tensorHistogram.js';
import type { TrainingRun } from './trainingRun.js';

export type WatchLog = 'gradients' | 'parameters' | 'all' | false;

/**
 * What watch needs of a run beyond the callbacks' TrainingRun: core's Node `Run` has it, and so has
 * @runlog/browser's run in a web page.
 */
export interface WatchedRun extends TrainingRun {
  alert(alert: { title: string; text: string; level?: 'INFO' | 'WARN' | 'ERROR' }): boolean;
  on(event: 'finish', listener: () => void): unknown;
  off(event: 'finish', listener: () => void): unknown;
}

export interface WatchOptions<R extends WatchedRun = WatchedRun> {
  /** Default: the current run. */
  run?: R;
  /** What to log as histograms: 'gradients' (default), 'parameters', 'all', or false (norms and alerts only). */
  log?: WatchLog;
  /** Log every this many optimizer steps. Default 1000, as wandb. */
  logFreq?: number;
  /** Log the layer table and topology once (Node only: in a web page it is an INVALID_ARGUMENT). Default false. */
  logGraph?: boolean;
  /** The optimizer to tap; default `model.optimizer` (set by compile). Pass it for a custom training loop. */
  optimizer?: Optimizer;
  /** Histogram bins. Default 64. */
  numBins?: number;
  /** Where histograms are binned (see tensorHistogram); default 'auto': on the backend unless it is cpu or wasm. */
  binOn?: BinOn;
  /** Raise a run alert the first time a gradient holds NaN or Infinity (checked every step). Default true. */
  alertOnNonFinite?: boolean;
}

/**
 * What `watch(model)` sets up: a tap on the optimizer's applyGradients that logs, every `logFreq` steps,
 * `gradients/<weight>` and/or `parameters/<weight>` histograms (binned on the backend, counts-only download) and
 * the gradient norms `grad_norm/<layer>` and `grad_norm/global`, with `commit: false` so they join the step's
 * row (as wandb does); and raises an alert when gradients stop being finite. Never changes training results.
 */
export class ModelWatch<R extends WatchedRun = WatchedRun> {
  readonly run: R;
  readonly optimizer: Optimizer;
  private readonly logGradients: boolean;
  private readonly logParameters: boolean;
  private readonly logFreq: number;
  private readonly numBins: number;
  private readonly binOn: BinOn;
  private readonly alertOnNonFinite: boolean;
  private readonly layerOfWeight = new Map<string, string>();
  private readonly removers: Array<() => void> = [];
  private alerted = false;
  private stopped = false;

  constructor(
    readonly model: LayersModel,
    options: WatchOptions<R>,
    onRunFinish: () => void,
  ) {
    const { log = 'gradients', logFreq = 1000, numBins = 64, alertOnNonFinite = true } = options;
    if (!['gradients', 'parameters', 'all', false].includes(log))
      throw new RunlogError('INVALID_ARGUMENT', `watch: log must be 'gradients', 'parameters', 'all' or false`);
    if (!Number.isInteger(logFreq) || logFreq < 1)
      throw new RunlogError('INVALID_ARGUMENT', `watch: logFreq must be a positive integer, got ${logFreq}`);
    const optimizer = options.optimizer ?? model.optimizer;
    if (!optimizer) {
      throw new RunlogError(
        'INVALID_ARGUMENT',
        'watch: the model has no optimizer yet: call model.compile() first, or pass { optimizer } for a custom loop',
      );
    }
    const graphLogger = callbackEnvironment().logGraph;
    if (options.logGraph && !graphLogger)
      throw new RunlogError('INVALID_ARGUMENT', 'watch: logGraph writes a file and is only available in Node');
    this.run = resolveRun(options.run, 'watch');
    this.optimizer = optimizer;
    this.logGradients = log === 'gradients' || log === 'all';
    this.logParameters = log === 'parameters' || log === 'all';
    this.logFreq = logFreq;
    this.numBins = numBins;
    this.binOn = options.binOn ?? 'auto';
    this.alertOnNonFinite = alertOnNonFinite;
    for (const layer of model.layers)
      for (const weight of layer.weights) this.layerOfWeight.set(weight.name, layer.name);

    this.removers.push(
      tapGradients(optimizer, {
        gradients: (gradients, step) => this.onGradients(gradients, step),
        applied: (step) => this.onApplied(step),
      }),
      relayOptimizerSteps(this.run, optimizer),
    );
    this.run.on('finish', onRunFinish);
    this.removers.push(() => this.run.off('finish', onRunFinish));
    if (options.logGraph && graphLogger) {
      try {
        graphLogger(this.run, model);
      } catch (error) {
        this.run.reportError(error, 'watch logGraph');
      }
    }
  }

  /** Removes the tap; the optimizer is exactly as before watch (unless someone wrapped it on top since). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const remove of this.removers.splice(0)) remove();
  }

  private onGradients(gradients: NamedTensorMap, step: number): void {
    try {
      if (this.alertOnNonFinite && !this.alerted) this.checkFinite(gradients, step);
      if (step % this.logFreq !== 0) return;
      const row: Record<string, unknown> = {};
      if (this.logGradients) {
        for (const name of Object.keys(gradients)) this.addHistogram(row, `gradients/${name}`, gradients[name]);
      }
      const norms = gradientNorms(gradients, (weight) => this.layerOfWeight.get(weight) ?? weight);
      for (const [layer, norm] of Object.entries(norms)) row[`grad_norm/${layer}`] = norm;
      this.run.log(row, { commit: false });
    } catch (error) {
      this.run.reportError(error, 'watch gradients');
    }
  }

  private onApplied(step: number): void {
    if (!this.logParameters || step % this.logFreq !== 0) return;
    try {
      const row: Record<string, unknown> = {};
      for (const weight of this.model.weights) this.addHistogram(row, `parameters/${weight.name}`, weight.read());
      this.run.log(row, { commit: false });
    } catch (error) {
      this.run.reportError(error, 'watch parameters');
    }
  }

  private addHistogram(row: Record<string, unknown>, key: string, tensor: Tensor): void {
    const histogram = tensorHistogram(tensor, this.numBins, this.binOn);
    if (histogram.values.length > 0) row[key] = Histogram.fromCounts(histogram.values, histogram.bins);
  }

  private checkFinite(gradients: NamedTensorMap, step: number): void {
    const bad = nonFiniteGradients(gradients);
    if (bad.length === 0) return;
    this.alerted = true;
    this.run.alert({
      title: 'NaN or Infinity in gradients',
      text: `optimizer step ${step}: the gradients of ${bad.join(', ')} hold NaN or Infinity; the loss has probably diverged (lower the learning rate, clip gradients, check the inputs)`,
      level: 'ERROR',
    });
  }
}
