import { type CallbackLike, type HookEvent, InvalidValueError } from '@runlog/core/browser';
import { ProgressBar, type ProgressStream } from './progressBar.js';
import { RunlogCallback } from './runlogCallback.js';
import type { TrainingRun } from './trainingRun.js';

export interface MetricsLoggerOptions {
  /** Default: the current run. */
  run?: TrainingRun;
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
const epochDefined = new WeakSet<TrainingRun>();
const batchDefined = new WeakSet<TrainingRun>();

/**
 * wandb's WandbMetricsLogger: logs `epoch/<metric>` (val_ metrics included), `epoch/epoch`,
 * `epoch/learning_rate` and `epoch/samples_per_sec` at every epoch end and, with `logFreq`, the same under
 * `batch/` with `batch/batch_step`. `batch/*` is charted against `batch/batch_step`, `epoch/*` against
 * `epoch/epoch`. Also shows training progress in the terminal (tfjs without tfjs-node prints nothing).
 * A core callback (fitStart, trainEpochStart, trainBatchEnd, trainEpochEnd): in a custom loop, register it with
 * `run.hooks.addCallback(logger)` and call those hooks.
 * @example
 * await model.fit(xs, ys, { epochs: 5, validationSplit: 0.1, callbacks: [new MetricsLogger({ run, logFreq: 'batch' })] });
 */
export class MetricsLogger extends RunlogCallback implements CallbackLike {
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
    else {
      throw new InvalidValueError(
        `MetricsLogger: logFreq must be 'epoch', 'batch' or a positive integer, got ${String(logFreq)}`,
        'INVALID_ARGUMENT',
      );
    }
    if (options.progress !== false) this.progress = new ProgressBar(options.progressStream);
  }

  fitStart(event: HookEvent<'fitStart'>): void {
    const run = this.bindRun(event);
    this.safely('fitStart', () => {
      this.epochs = event.epochs;
      this.steps = event.stepsPerEpoch;
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
    });
  }

  trainEpochStart({ epoch }: HookEvent<'trainEpochStart'>): void {
    this.epochStart = performance.now();
    this.batchClock = this.epochStart;
    this.epochSamples = 0;
    this.batchClockSamples = 0;
    this.safely('trainEpochStart', () => this.progress?.epochBegin(epoch, this.epochs));
  }

  trainBatchEnd({ batch, logs, samples, learningRate }: HookEvent<'trainBatchEnd'>): void {
    const size = samples ?? (typeof logs.size === 'number' ? logs.size : 0);
    this.epochSamples += size;
    this.batchClockSamples += size;
    const step = this.globalBatch++;
    this.safely('trainBatchEnd', () => {
      if (this.every > 0 && step % this.every === 0) {
        const now = performance.now();
        const row: Record<string, number> = { 'batch/batch_step': step };
        for (const key in logs) if (!BOOKKEEPING.has(key)) row[`batch/${key}`] = logs[key];
        if (learningRate !== undefined) row['batch/learning_rate'] = learningRate;
        if (now > this.batchClock)
          row['batch/samples_per_sec'] = (this.batchClockSamples * 1000) / (now - this.batchClock);
        this.batchClock = now;
        this.batchClockSamples = 0;
        this.run.log(row);
      }
      this.progress?.batchEnd(batch, this.steps, logs, size);
    });
  }

  trainEpochEnd({ epoch, logs, samples, learningRate }: HookEvent<'trainEpochEnd'>): void {
    this.safely('trainEpochEnd', () => {
      const seconds = (performance.now() - this.epochStart) / 1000;
      const row: Record<string, number> = { 'epoch/epoch': epoch };
      for (const key in logs) row[`epoch/${key}`] = logs[key];
      if (learningRate !== undefined) row['epoch/learning_rate'] = learningRate;
      const epochSamples = samples ?? this.epochSamples;
      if (seconds > 0 && epochSamples > 0) row['epoch/samples_per_sec'] = epochSamples / seconds;
      this.run.log(row);
      this.progress?.epochEnd(logs);
    });
  }
}
