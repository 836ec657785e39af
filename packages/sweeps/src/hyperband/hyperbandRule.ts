import type { HyperbandConfig } from '../config/sweepConfig.js';
import { hyperbandBands } from './hyperbandBands.js';
import type { MetricCurve } from './metricCurve.js';

export interface HyperbandTrial {
  id: string;
  running: boolean;
  curve: MetricCurve;
}

/** Why a trial is stopped: the bracket it reached, its value there and the bracket's threshold. */
export interface HyperbandStop {
  id: string;
  band: number;
  value: number;
  threshold: number;
}

/**
 * wandb's Hyperband early-termination rule. For each bracket b, the threshold is the value at index
 * floor(n / eta) of the sorted values at iteration b of the n trials (any state) that logged at least b values.
 * A running trial is stopped when, at the last bracket it reached, its value there (strict, the default) or its
 * best value so far (strict: false) is worse than that threshold. Lower is better (see MetricCurve).
 */
export function hyperbandStops(trials: readonly HyperbandTrial[], config: HyperbandConfig): HyperbandStop[] {
  const bands = hyperbandBands(config);
  const thresholds = bands.map((band) => {
    const values: number[] = [];
    for (const { curve } of trials) {
      if (curve.steps < band) continue;
      const value = curve.at(band);
      if (value !== undefined) values.push(value);
    }
    if (values.length === 0) return Number.POSITIVE_INFINITY;
    values.sort((a, b) => a - b);
    return values[Math.floor((1 / config.eta) * values.length)]; // wandb: int(r * n), r = 1/eta
  });
  const stops: HyperbandStop[] = [];
  for (const { id, running, curve } of trials) {
    if (!running) continue;
    let reached = -1;
    for (let i = 0; i < bands.length && bands[i] <= curve.steps; i++) reached = i;
    if (reached < 0) continue;
    const band = bands[reached];
    const value = config.strict ? curve.at(band) : curve.best;
    if (value !== undefined && value > thresholds[reached])
      stops.push({ id, band, value, threshold: thresholds[reached] });
  }
  return stops;
}
