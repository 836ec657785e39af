import type { Run } from '@runlog/core';
import { ProgressBar, type ProgressStream } from './progressBar.js';
import type { Logs } from './readLogs.js';
import { RunlogCallback } from './runlogCallback.js';

export interface MetricsLoggerOptions {
  /** Default: the current run. */
  run?: Run;
  /** 'epoch' (default): epoch/* keys only; 'batch': batch/* keys every batch too; a number N: every N batches. */
  logFreq?: 'epoch' | 'batch' | number;
  /** The terminal progress display (a bar on a TTY, a line per epoch elsewhere). Default true. */
  progress?: boolean;
  /** Where progress goes; default process.stdout. */
  progressStream?: ProgressStream;
}

/** Keys tfjs puts in batch logs that are bookkeeping, not metrics. */
const BOOKKEEPING = new Set(['batch', 'size']);
// Runs whose epoch/* and batch/* step metrics are defined already (once per run, however many loggers).
const epochDefined = new WeakSet<Run>();
const batchDefined = new WeakSet<Run>();

/**
 * wandb's WandbMetricsLogger for tfjs: logs `epoch/<metric>` (val_ metrics included), `epoch/epoch`,
 * `epoch/learning_rate` and `epoch/samples_per_sec` at every epoch end and, with `logFreq`, the same under
 * `batch/` with `batch/batch_step`. `batch/*` is charted against `batch/batch_step`, `epoch/*` against
 * `epoch/epoch`. Also shows training progress in the terminal (tfjs without tfjs-node prints nothing).
 * @example
 * await model.fit(xs, ys, { epochs: 5, validationSplit: 0.1, callbacks: [new MetricsLogger({ run, logFreq: 'batch' })] });
 */
export class MetricsLogger extends RunlogCallback {
  private readonly every: number;
  private readonly progress?: ProgressBar;
  private globalBatch = 0;
  private epochs?: number;
  private steps?: number;
  private epochStart = 0;
  private epochSamples = 0;
  private batchClock = 0;
  private batchClockSamples = 0;

  constructor(options: MetricsLoggerOptions = {}) {
    super(options.run);
    const { logFreq = 'epoch' } = options;
    if (logFreq === 'epoch') this.every = 0;
    else if (logFreq === 'batch') this.every = 1;
    else if (Number.isInteger(logFreq) && logFreq > 0) this.every = logFreq;
    else throw new RangeError(`MetricsLogger: logFreq must be 'epoch', 'batch' or a positive integer, got ${logFreq}`);
    if (options.progress !== false) this.progress = new ProgressBar(options.progressStream);
  }

  protected override trainBegin(params: Record<string, unknown>): void {
    this.epochs = typeof params.epochs === 'number' ? params.epochs : undefined;
    this.steps = stepsPerEpoch(params);
    const run = this.run;
    if (!epochDefined.has(run)) {
      epochDefined.add(run);
      run.defineMetric('epoch/epoch', { hidden: true });
      run.defineMetric('epoch/*', { stepMetric: 'epoch/epoch' });
    }
    if (this.every > 0 && !batchDefined.has(run)) {
      batchDefined.add(run);
      run.defineMetric('batch/batch_step', { hidden: true });
      run.defineMetric('batch/*', { stepMetric: 'batch/batch_step' });
    }
  }

  protected override epochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.batchClock = this.epochStart;
    this.epochSamples = 0;
    this.batchClockSamples = 0;
    this.progress?.epochBegin(epoch, this.epochs);
  }

  protected override batchEnd(batch: number, logs: Logs): void {
    const size = typeof logs.size === 'number' ? logs.size : 0;
    this.epochSamples += size;
    this.batchClockSamples += size;
    const step = this.globalBatch++;
    if (this.every > 0 && step % this.every === 0) {
      const now = performance.now();
      const row: Record<string, number> = { 'batch/batch_step': step };
      for (const key in logs) if (!BOOKKEEPING.has(key)) row[`batch/${key}`] = logs[key];
      const lr = this.learningRate();
      if (lr !== undefined) row['batch/learning_rate'] = lr;
      if (now > this.batchClock)
        row['batch/samples_per_sec'] = (this.batchClockSamples * 1000) / (now - this.batchClock);
      this.batchClock = now;
      this.batchClockSamples = 0;
      this.run.log(row);
    }
    this.progress?.batchEnd(batch, this.steps, logs);
  }

  protected override epochEnd(epoch: number, logs: Logs): void {
    const seconds = (performance.now() - this.epochStart) / 1000;
    const row: Record<string, number> = { 'epoch/epoch': epoch };
    for (const key in logs) row[`epoch/${key}`] = logs[key];
    const lr = this.learningRate();
    if (lr !== undefined) row['epoch/learning_rate'] = lr;
    if (seconds > 0 && this.epochSamples > 0) row['epoch/samples_per_sec'] = this.epochSamples / seconds;
    this.run.log(row);
    this.progress?.epochEnd(logs);
  }

  private learningRate(): number | undefined {
    const optimizer = this.model?.optimizer as { learningRate?: unknown } | undefined;
    return typeof optimizer?.learningRate === 'number' ? optimizer.learningRate : undefined;
  }
}

/** Batches per epoch: fit gives samples and batchSize, fitDataset gives batchesPerEpoch as `steps`. */
function stepsPerEpoch(params: Record<string, unknown>): number | undefined {
  if (typeof params.steps === 'number') return params.steps;
  if (typeof params.samples === 'number' && typeof params.batchSize === 'number' && params.batchSize > 0)
    return Math.ceil(params.samples / params.batchSize);
  return undefined;
}
