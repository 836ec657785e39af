import type { ParameterSpec } from '../config/parameterSpec.js';
import type { Goal } from '../config/sweepConfig.js';
import type { FlatParams } from './parameterValues.js';
import { CategoricalParzenEstimator, NumericParzenEstimator } from './parzenEstimator.js';
import { randomParams } from './randomSearch.js';
import { searchDimension } from './searchDimension.js';
import type { SearchTrial } from './searchTrial.js';
import { SeededRandom } from './seededRandom.js';

/** Optuna's TPESampler defaults. */
export interface TpeOptions {
  /** Trials drawn at random (from the configured distributions) before TPE starts. Default 10. */
  startupTrials?: number;
  /** Candidates drawn from l(x) per parameter; the best l(x)/g(x) wins. Default 24. */
  candidates?: number;
}

/** Optuna's default gamma: the best 10% of trials (at most 25) form the "good" group. */
export function goodCount(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

interface Ranked {
  trial: SearchTrial;
  good: boolean;
}

/**
 * Splits trials into the good group l and the rest g as Optuna does: finished trials by value, then stopped
 * (pruned) ones by how far they got and their last value; running trials always count as bad (Optuna's
 * constant liar), so parallel agents do not all pile onto the same region.
 */
function split(trials: readonly SearchTrial[], goal: Goal): Ranked[] {
  const sign = goal === 'maximize' ? -1 : 1;
  const finished = trials.filter((t) => t.status === 'finished' && t.value !== undefined);
  const stopped = trials.filter((t) => t.status === 'stopped' && t.value !== undefined);
  const running = trials.filter((t) => t.status === 'running' || t.value === undefined);
  let good = goodCount(finished.length + stopped.length + running.length);
  finished.sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number);
  stopped.sort((a, b) => (b.steps ?? 0) - (a.steps ?? 0) || sign * (a.value! - b.value!) || a.number - b.number);
  const ranked: Ranked[] = [];
  for (const trial of [...finished, ...stopped]) ranked.push({ trial, good: good-- > 0 });
  for (const trial of running) ranked.push({ trial, good: false });
  return ranked.sort((a, b) => a.trial.number - b.trial.number);
}

/**
 * Bayesian search with a Tree-structured Parzen Estimator modelled on Optuna's univariate TPESampler: for each
 * parameter independently, a Parzen estimator l(x) of the good trials and g(x) of the others (each with the
 * prior as one more component); 24 candidates drawn from l, the one with the highest l(x)/g(x) is suggested.
 * The first `startupTrials` trials are random. Deterministic for a seed, a trial number and a set of trials.
 * @example
 * const params = suggestTpe(specs, 'minimize', trials, { seed: 7, trialNumber: trials.length });
 */
export function suggestTpe(
  specs: readonly ParameterSpec[],
  goal: Goal,
  trials: readonly SearchTrial[],
  options: TpeOptions & { seed: number; trialNumber: number },
): FlatParams {
  const completed = trials.filter((t) => t.status !== 'running' && t.value !== undefined).length;
  // The startup trials are exactly random search's for the same seed: the two methods start from the same points.
  if (completed < (options.startupTrials ?? 10)) return randomParams(specs, options.seed, options.trialNumber);
  const random = new SeededRandom(options.seed, options.trialNumber, 0x54504521);
  const candidates = options.candidates ?? 24;
  const ranked = split(trials, goal);
  const params: FlatParams = {};
  for (const spec of specs) {
    const dimension = searchDimension(spec);
    if (!dimension) {
      params[spec.key] = (spec as { value: unknown }).value;
      continue;
    }
    const good: number[] = [];
    const bad: number[] = [];
    for (const { trial, good: isGood } of ranked) {
      if (!(spec.key in trial.params)) continue;
      const value = trial.params[spec.key];
      const internal = dimension.kind === 'numeric' ? dimension.toInternal(value) : dimension.indexOf(value);
      if (internal !== undefined) (isGood ? good : bad).push(internal);
    }
    const l =
      dimension.kind === 'numeric'
        ? new NumericParzenEstimator(dimension, good)
        : new CategoricalParzenEstimator(dimension, good);
    const g =
      dimension.kind === 'numeric'
        ? new NumericParzenEstimator(dimension, bad)
        : new CategoricalParzenEstimator(dimension, bad);
    let best = Number.NEGATIVE_INFINITY;
    let chosen = 0;
    for (const x of l.sample(random, candidates)) {
      const score = l.logPdf(x) - g.logPdf(x);
      if (score > best) {
        best = score;
        chosen = x;
      }
    }
    params[spec.key] = dimension.kind === 'numeric' ? dimension.toValue(chosen) : dimension.choices[chosen];
  }
  return params;
}
