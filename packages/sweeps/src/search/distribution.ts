import type { ParameterSpec } from '../config/parameterSpec.js';
import { normalCdf, normalPpf } from './normalDistribution.js';
import { quantise } from './quantise.js';

/**
 * A parameter's value at quantile u in [0, 1): wandb's ppf, distribution by distribution, so `valueAt(spec, U)`
 * for a uniform U is a sample of exactly the configured distribution.
 */
export function valueAt(spec: ParameterSpec, u: number): unknown {
  switch (spec.distribution) {
    case 'constant':
      return spec.value;
    case 'categorical': {
      if (!spec.probabilities) return spec.values[Math.min(spec.values.length - 1, Math.floor(u * spec.values.length))];
      let cumulative = 0;
      for (let i = 0; i < spec.values.length; i++) {
        cumulative += spec.probabilities[i];
        if (u < cumulative) return spec.values[i];
      }
      return spec.values[spec.values.length - 1];
    }
    case 'int_uniform':
      return Math.min(spec.max, spec.min + Math.floor(u * (spec.max - spec.min + 1)));
    case 'uniform':
      return spec.min + u * (spec.max - spec.min);
    case 'q_uniform':
      return quantise(spec.min + u * (spec.max - spec.min), spec.q);
    case 'log_uniform':
      return Math.exp(spec.min + u * (spec.max - spec.min));
    case 'log_uniform_values':
    case 'inv_log_uniform_values':
      // wandb's inv_log_uniform_values is exp(-U) with U uniform on [-log max, -log min]: the same law.
      return Math.exp(Math.log(spec.min) + u * (Math.log(spec.max) - Math.log(spec.min)));
    case 'q_log_uniform':
      return quantise(Math.exp(spec.min + u * (spec.max - spec.min)), spec.q);
    case 'q_log_uniform_values':
      return quantise(Math.exp(Math.log(spec.min) + u * (Math.log(spec.max) - Math.log(spec.min))), spec.q);
    case 'inv_log_uniform':
      // wandb: exp(-U), U uniform on [min, max] (bounds are logs of 1/X).
      return Math.exp(-(spec.min + (1 - u) * (spec.max - spec.min)));
    case 'normal':
      return spec.mu + spec.sigma * normalPpf(u);
    case 'q_normal':
      return quantise(spec.mu + spec.sigma * normalPpf(u), spec.q);
    case 'log_normal':
      return Math.exp(spec.mu + spec.sigma * normalPpf(u));
    case 'q_log_normal':
      return quantise(Math.exp(spec.mu + spec.sigma * normalPpf(u)), spec.q);
  }
}

/**
 * P(X <= x) of a continuous parameter before quantisation (the Kolmogorov-Smirnov reference; a quantised
 * parameter's P(Y <= y) on its lattice is this at y + q/2). Undefined for constant and categorical parameters.
 */
export function continuousCdf(spec: ParameterSpec, x: number): number | undefined {
  const clamp = (p: number) => Math.min(1, Math.max(0, p));
  switch (spec.distribution) {
    case 'int_uniform':
      return clamp((Math.floor(x) - spec.min + 1) / (spec.max - spec.min + 1));
    case 'uniform':
    case 'q_uniform':
      return clamp((x - spec.min) / (spec.max - spec.min));
    case 'log_uniform':
    case 'q_log_uniform':
      return x <= 0 ? 0 : clamp((Math.log(x) - spec.min) / (spec.max - spec.min));
    case 'log_uniform_values':
    case 'inv_log_uniform_values':
    case 'q_log_uniform_values':
      return x <= 0 ? 0 : clamp((Math.log(x) - Math.log(spec.min)) / (Math.log(spec.max) - Math.log(spec.min)));
    case 'inv_log_uniform':
      return x <= 0 ? 0 : clamp(1 - (-Math.log(x) - spec.min) / (spec.max - spec.min));
    case 'normal':
    case 'q_normal':
      return normalCdf((x - spec.mu) / spec.sigma);
    case 'log_normal':
    case 'q_log_normal':
      return x <= 0 ? 0 : normalCdf((Math.log(x) - spec.mu) / spec.sigma);
    default:
      return undefined;
  }
}
