import type { Run } from '@runlog/core';
import { safeExecute } from '@runlog/media';
import { LatencySketch } from './latencySketch.js';
import { type LatencySummary, LatencyWindow } from './latencyWindow.js';
import type { OrtTensorLike, TensorMap } from './ortTensorLike.js';
import { computeTensorStats, mergeTensorStats, numericView, type TensorStats } from './tensorStats.js';

export interface WatcherSettings {
  run: Run;
  /** Hook payload name, and (when given by the user) the key prefix `inference/<name>`. */
  name: string;
  prefix: string;
  logFreq: number;
  logInputs: boolean | readonly string[];
  logOutputs: boolean | readonly string[];
  histograms: boolean;
  tensorStats: 'sampled' | 'all';
}

/**
 * The state of one watched session: the latency window and sketch, counters, and the logging at each
 * logFreq boundary. `recordSuccess` and `recordError` are called by the wrapper around `session.run`;
 * they never throw for runlog's own trouble (that goes to run.reportError), only a user hook's error propagates.
 */
export class SessionWatcher {
  /** Every call, failed ones included. */
  calls = 0;
  errors = 0;
  items = 0;
  /** False once unwatched: a wrapper someone else wrapped again stays in place but records nothing. */
  active = true;
  private readonly window: LatencyWindow;
  private readonly sketch = new LatencySketch();
  private readonly windowStats = new Map<string, TensorStats>();
  private started = false;

  constructor(
    readonly settings: WatcherSettings,
    private readonly firstInputName: string | undefined,
  ) {
    this.window = new LatencyWindow(settings.logFreq);
  }

  /** After a call resolved. Returns the outputs, or a promise of them when a predict hook returned one. */
  recordSuccess<T>(start: number, feeds: TensorMap, outputs: T): T | Promise<T> {
    const end = performance.now();
    const call = this.calls++;
    const batchSize = this.batchSizeOf(feeds);
    this.items += batchSize;
    this.window.record(start, end, batchSize);
    const { run, name } = this.settings;
    let pending: void | Promise<void> = this.started ? undefined : this.start();
    if (this.settings.tensorStats === 'all') this.safely(() => this.accumulate(feeds, outputs as TensorMap));
    if (this.window.full) this.safely(() => this.logWindow(feeds, outputs as TensorMap));
    if (run.hooks.has('predictBatchEnd')) {
      const payload = { name, call, latencyMs: end - start, batchSize };
      pending = pending
        ? pending.then(() => run.hooks.call('predictBatchEnd', payload))
        : run.hooks.call('predictBatchEnd', payload);
    }
    return pending ? pending.then(() => outputs) : outputs;
  }

  /** After a call threw or rejected; the caller rethrows `error` itself, unchanged. */
  recordError(error: unknown): void | Promise<void> {
    this.calls++;
    this.errors++;
    const { run } = this.settings;
    if (!run.hooks.has('exception')) return;
    // The session's error is what the caller gets; a failing exception hook is reported, not thrown instead.
    return safeExecute(
      () => run.hooks.call('exception', { error, stage: 'predict' }),
      (hookError) => run.reportError(hookError, 'onnx exception hook'),
    );
  }

  /** On unwatch: logs the calls of an unfinished window, writes the summary, ends the predict stage. */
  finish(): void | Promise<void> {
    this.active = false;
    if (this.window.count > 0) this.safely(() => this.logWindow(undefined, undefined));
    else this.safely(() => this.updateSummary());
    if (!this.started) return;
    const { run, name } = this.settings;
    const end = run.hooks.call('predictEnd', { name, calls: this.calls });
    return end
      ? end.then(() => run.hooks.call('teardown', { stage: 'predict' }))
      : run.hooks.call('teardown', { stage: 'predict' });
  }

  private start(): void | Promise<void> {
    this.started = true;
    const { run, name } = this.settings;
    const setup = run.hooks.call('setup', { stage: 'predict' });
    return setup
      ? setup.then(() => run.hooks.call('predictStart', { name }))
      : run.hooks.call('predictStart', { name });
  }

  /** The first dimension of the first input: the batch size (1 for a scalar input). */
  private batchSizeOf(feeds: TensorMap): number {
    const first: OrtTensorLike | undefined = this.firstInputName === undefined ? undefined : feeds[this.firstInputName];
    if (!first) for (const key in feeds) return dimZero(feeds[key]);
    return dimZero(first);
  }

  private logWindow(feeds: TensorMap | undefined, outputs: TensorMap | undefined): void {
    const { run, prefix } = this.settings;
    const latency = this.window.summarise();
    const seconds = this.window.spanSeconds();
    const row: Record<string, unknown> = {
      ...latencyKeys(`${prefix}/latency_ms`, latency),
      [`${prefix}/calls_per_s`]: seconds > 0 ? this.window.count / seconds : Number.NaN,
      [`${prefix}/items_per_s`]: seconds > 0 ? this.window.items / seconds : Number.NaN,
      [`${prefix}/calls`]: this.calls,
      [`${prefix}/errors`]: this.errors,
    };
    if (this.settings.tensorStats === 'all') {
      for (const [key, stats] of this.windowStats) this.addStats(row, key, stats, undefined);
      this.windowStats.clear();
    } else {
      if (feeds) this.addTensors(row, 'input', feeds, this.settings.logInputs);
      if (outputs) this.addTensors(row, 'output', outputs, this.settings.logOutputs);
    }
    this.sketch.add(this.window.values());
    this.window.reset();
    run.log(row);
    this.updateSummary();
  }

  private updateSummary(): void {
    const { run, prefix } = this.settings;
    run.summary.update({
      ...latencyKeys(`${prefix}/latency_ms`, this.sketch.summarise()),
      [`${prefix}/calls`]: this.calls,
      [`${prefix}/errors`]: this.errors,
      [`${prefix}/items`]: this.items,
    });
  }

  private addTensors(
    row: Record<string, unknown>,
    direction: 'input' | 'output',
    tensors: TensorMap,
    which: boolean | readonly string[],
  ): void {
    if (which === false) return;
    for (const name of Object.keys(tensors)) {
      if (which !== true && !which.includes(name)) continue;
      const tensor = tensors[name];
      this.addStats(row, `${direction}/${name}`, computeTensorStats(tensor), tensor);
    }
  }

  private accumulate(feeds: TensorMap, outputs: TensorMap): void {
    const merge = (direction: string, tensors: TensorMap, which: boolean | readonly string[]) => {
      if (which === false) return;
      for (const name of Object.keys(tensors)) {
        if (which !== true && !which.includes(name)) continue;
        const key = `${direction}/${name}`;
        const stats = computeTensorStats(tensors[name]);
        const sofar = this.windowStats.get(key);
        if (sofar) mergeTensorStats(sofar, stats);
        else this.windowStats.set(key, stats);
      }
    };
    merge('input', feeds, this.settings.logInputs);
    merge('output', outputs, this.settings.logOutputs);
  }

  private addStats(
    row: Record<string, unknown>,
    key: string,
    stats: TensorStats,
    tensor: OrtTensorLike | undefined,
  ): void {
    const base = `${this.settings.prefix}/${key}`;
    row[`${base}/dtype`] = stats.dtype;
    row[`${base}/shape`] = stats.shape;
    if (stats.count + stats.nanCount === 0) return; // strings, or data not on the CPU
    row[`${base}/min`] = stats.min;
    row[`${base}/max`] = stats.max;
    row[`${base}/mean`] = stats.count > 0 ? stats.sum / stats.count : Number.NaN;
    row[`${base}/nan_count`] = stats.nanCount;
    if (this.settings.histograms && tensor) {
      // run.log turns a typed array into core's 64-bin histogram (computeHistogram) while it serialises the row.
      const values = numericView(tensor);
      if (values) row[`${base}/histogram`] = ArrayBuffer.isView(values) ? values : Float64Array.from(values);
    }
  }

  /** Runs runlog's own bookkeeping; a failure is reported to the run (counted there) and never reaches the caller. */
  private safely(work: () => void): void {
    safeExecute(work, (error) => this.settings.run.reportError(error, `onnx watch(${this.settings.name})`));
  }
}

function dimZero(tensor: OrtTensorLike | undefined): number {
  const dims = tensor?.dims;
  return dims && dims.length > 0 ? dims[0] : 1;
}

function latencyKeys(base: string, s: LatencySummary): Record<string, number> {
  return {
    [`${base}/p50`]: s.p50,
    [`${base}/p90`]: s.p90,
    [`${base}/p99`]: s.p99,
    [`${base}/mean`]: s.mean,
    [`${base}/max`]: s.max,
  };
}
