import type { HistoryOutline } from '@runlog/core';

/**
 * A chart's x axis over a long history drawn from its outline: `_step` itself, or a key that rises with `_step`
 * (a defineMetric stepMetric such as tfjs's `batch/batch_step`). Such a key's value at any step is interpolated
 * between its outline points (each block's first and last value, and every row outside blocks): exact at those
 * points, and inside a block exact when the key rises by one per row (tfjs's batch counter), else off by less
 * than the block's spread. A zoom's x range becomes the step range that holds it, so only those blocks are read.
 */
export class StepAxis {
  private constructor(
    /** Steps of the key's outline points, rising. */
    private readonly steps: number[],
    /** The key's values there, never decreasing. */
    private readonly values: number[],
  ) {}

  /** The `_step` axis. */
  static readonly STEP = new StepAxis([], []);

  /** The axis for `key`, or undefined when the outline cannot tell that it rises with `_step`. */
  static of(outline: HistoryOutline, key: string): StepAxis | undefined {
    if (key === '_step') return StepAxis.STEP;
    if (!outline.numericKeys().has(key) || !outline.isNonDecreasing(key)) return undefined;
    const { steps, values } = outline.envelope(key);
    return steps.length > 0 ? new StepAxis(steps, values) : undefined;
  }

  /** The key's value at `step`. */
  valueAt(step: number): number {
    const { steps, values } = this;
    if (steps.length === 0) return step;
    if (step <= steps[0]) return values[0];
    const last = steps.length - 1;
    if (step >= steps[last]) return values[last];
    let low = 0;
    let high = last;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (steps[middle] <= step) low = middle;
      else high = middle;
    }
    const t = (step - steps[low]) / (steps[high] - steps[low]);
    return values[low] + t * (values[high] - values[low]);
  }

  /** A step range holding every row whose value lies in `[xMin, xMax]`. */
  stepRange(xMin: number, xMax: number): [number, number] {
    const { steps, values } = this;
    if (steps.length === 0) return [xMin, xMax];
    let minStep = steps[0];
    for (let i = 0; i < steps.length && values[i] < xMin; i++) minStep = steps[i];
    let maxStep = steps[steps.length - 1];
    for (let i = steps.length - 1; i >= 0 && values[i] > xMax; i--) maxStep = steps[i];
    return [minStep, maxStep];
  }
}
