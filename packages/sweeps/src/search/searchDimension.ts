import type { ParameterSpec } from '../config/parameterSpec.js';
import { normalCdf, normalPpf } from './normalDistribution.js';
import { quantise } from './quantise.js';

/** A numeric parameter as the TPE sampler sees it: a coordinate in [low, high] whose uniform law is the prior. */
export interface NumericDimension {
  kind: 'numeric';
  low: number;
  high: number;
  /** Set for integers: the sampler works on the lattice (Optuna's discrete handling). */
  step?: number;
  toValue(z: number): unknown;
  toInternal(value: unknown): number | undefined;
}

export interface CategoricalDimension {
  kind: 'categorical';
  choices: unknown[];
  /** The prior over the choices (uniform unless the config gives probabilities). */
  prior: number[];
  indexOf(value: unknown): number | undefined;
}

export type SearchDimension = NumericDimension | CategoricalDimension;

const EDGE = 1e-12;
const numberOf = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function logScale(low: number, high: number, q?: number): NumericDimension {
  return {
    kind: 'numeric',
    low,
    high,
    toValue: (z) => (q === undefined ? Math.exp(z) : quantise(Math.exp(z), q)),
    toInternal: (value) => {
      const v = numberOf(value);
      return v === undefined || v <= 0 ? undefined : Math.min(high, Math.max(low, Math.log(v)));
    },
  };
}

/** Unbounded (normal) families: the coordinate is the distribution's CDF, so its uniform law is the distribution. */
function cdfScale(mu: number, sigma: number, log: boolean, q?: number): NumericDimension {
  return {
    kind: 'numeric',
    low: 0,
    high: 1,
    toValue: (u) => {
      const x = mu + sigma * normalPpf(Math.min(1 - EDGE, Math.max(EDGE, u)));
      const value = log ? Math.exp(x) : x;
      return q === undefined ? value : quantise(value, q);
    },
    toInternal: (value) => {
      const v = numberOf(value);
      if (v === undefined || (log && v <= 0)) return undefined;
      return normalCdf(((log ? Math.log(v) : v) - mu) / sigma);
    },
  };
}

/** How the TPE sampler represents a parameter; undefined for constants (nothing to search). */
export function searchDimension(spec: ParameterSpec): SearchDimension | undefined {
  switch (spec.distribution) {
    case 'constant':
      return undefined;
    case 'categorical': {
      const n = spec.values.length;
      return {
        kind: 'categorical',
        choices: spec.values,
        prior: spec.probabilities ?? Array.from({ length: n }, () => 1 / n),
        indexOf: (value) => {
          // Plain values compare directly; objects and arrays by their JSON.
          const direct = spec.values.indexOf(value);
          if (direct >= 0) return direct;
          if (typeof value !== 'object' || value === null) return undefined;
          const key = JSON.stringify(value);
          const index = spec.values.findIndex((choice) => JSON.stringify(choice) === key);
          return index < 0 ? undefined : index;
        },
      };
    }
    case 'int_uniform':
      return {
        kind: 'numeric',
        low: spec.min,
        high: spec.max,
        step: 1,
        toValue: (z) => Math.round(z),
        toInternal: (value) => numberOf(value),
      };
    case 'uniform':
    case 'q_uniform': {
      const q = spec.distribution === 'q_uniform' ? spec.q : undefined;
      return {
        kind: 'numeric',
        low: spec.min,
        high: spec.max,
        toValue: (z) => (q === undefined ? z : quantise(z, q)),
        toInternal: (value) => {
          const v = numberOf(value);
          return v === undefined ? undefined : Math.min(spec.max, Math.max(spec.min, v));
        },
      };
    }
    case 'log_uniform':
      return logScale(spec.min, spec.max);
    case 'q_log_uniform':
      return logScale(spec.min, spec.max, spec.q);
    case 'log_uniform_values':
    case 'inv_log_uniform_values':
      return logScale(Math.log(spec.min), Math.log(spec.max));
    case 'q_log_uniform_values':
      return logScale(Math.log(spec.min), Math.log(spec.max), spec.q);
    case 'inv_log_uniform':
      return logScale(-spec.max, -spec.min);
    case 'normal':
      return cdfScale(spec.mu, spec.sigma, false);
    case 'q_normal':
      return cdfScale(spec.mu, spec.sigma, false, spec.q);
    case 'log_normal':
      return cdfScale(spec.mu, spec.sigma, true);
    case 'q_log_normal':
      return cdfScale(spec.mu, spec.sigma, true, spec.q);
  }
}
