import type { Goal } from '../config/sweepConfig.js';

/**
 * What Hyperband needs of a trial's metric: how many values it logged (iterations), its best value so far, and
 * its value at a given iteration (1-based). Values are kept as the goal reads them: lower is better
 * (a maximised metric is negated), so the rule is written once.
 */
export interface MetricCurve {
  steps: number;
  best: number;
  at(iteration: number): number | undefined;
}

/** A curve from every logged value of the metric, in order (non-numbers are skipped, as wandb does). */
export function curveOf(values: readonly unknown[], goal: Goal): MetricCurve {
  const sign = goal === 'maximize' ? -1 : 1;
  const numbers = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)).map((v) => sign * v);
  return {
    steps: numbers.length,
    best: numbers.length ? Math.min(...numbers) : Number.POSITIVE_INFINITY,
    at: (iteration) => numbers[iteration - 1],
  };
}

/** A curve that grows as a running trial logs (constant time per value). */
export class GrowingCurve implements MetricCurve {
  private readonly numbers: number[] = [];
  best = Number.POSITIVE_INFINITY;

  constructor(private readonly goal: Goal) {}

  get steps(): number {
    return this.numbers.length;
  }

  /** Adds one logged value (non-numbers are skipped). */
  push(value: unknown): void {
    if (typeof value !== 'number' || Number.isNaN(value)) return;
    const v = this.goal === 'maximize' ? -value : value;
    this.numbers.push(v);
    if (v < this.best) this.best = v;
  }

  at(iteration: number): number | undefined {
    return this.numbers[iteration - 1];
  }
}

/** The values of a curve at Hyperband's brackets (what a finished trial keeps in the sweep state). */
export function bandValues(curve: MetricCurve, bands: readonly number[]): Record<string, number> {
  const values: Record<string, number> = {};
  for (const band of bands) {
    const value = curve.at(band);
    if (value === undefined) break;
    values[band] = value;
  }
  return values;
}

/** A curve rebuilt from the values a finished trial kept at the brackets (already in lower-is-better form). */
export function curveFromBands(steps: number, best: number, values: Record<string, number>): MetricCurve {
  return { steps, best, at: (iteration) => values[iteration] };
}
