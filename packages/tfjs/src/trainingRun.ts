import type { DefineMetricOptions, HookBus, RunLike } from '@runlog/core/browser';

/**
 * What runlog's tfjs callbacks need of a run: core's Node `Run` has it, and so has @runlog/browser's run in a web
 * page. Typed structurally so the callbacks run in both without importing either.
 */
export interface TrainingRun extends RunLike {
  readonly hooks: HookBus;
  /** A sweep asked the run to stop early (the fit ends after this batch). */
  readonly stopRequested: boolean;
  defineMetric(name: string, options?: DefineMetricOptions): unknown;
  /** Records a background failure (counted in `status()`); never throws into training. */
  reportError(error: unknown, context: string): void;
  /** Lets `flush()` and `finish()` wait for work started in the background. */
  trackBackground(work: Promise<unknown>, context: string): void;
}
