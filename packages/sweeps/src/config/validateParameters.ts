import { DISTRIBUTIONS, type DistributionName, type ParameterSpec } from './parameterSpec.js';
import { SweepConfigError } from './sweepConfigError.js';

/** The fields each distribution takes (besides `distribution`), as wandb's schema allows them. */
const FIELDS: Record<DistributionName, readonly string[]> = {
  constant: ['value'],
  categorical: ['values', 'probabilities'],
  int_uniform: ['min', 'max'],
  uniform: ['min', 'max'],
  q_uniform: ['min', 'max', 'q'],
  log_uniform: ['min', 'max'],
  log_uniform_values: ['min', 'max'],
  q_log_uniform: ['min', 'max', 'q'],
  q_log_uniform_values: ['min', 'max', 'q'],
  inv_log_uniform: ['min', 'max'],
  inv_log_uniform_values: ['min', 'max'],
  normal: ['mu', 'sigma'],
  q_normal: ['mu', 'sigma', 'q'],
  log_normal: ['mu', 'sigma'],
  q_log_normal: ['mu', 'sigma', 'q'],
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates wandb's `parameters` section and flattens nested parameters (`{ parameters: {...} }`), sorted by key.
 * Every problem is a SweepConfigError naming the field, e.g. `parameters.lr.max`.
 */
export function validateParameters(section: unknown, field = 'parameters', prefix: string[] = []): ParameterSpec[] {
  if (!isObject(section) || Object.keys(section).length === 0)
    throw new SweepConfigError(field, 'must be a mapping of parameter names to their specification');
  const specs: ParameterSpec[] = [];
  for (const name of Object.keys(section).sort()) {
    const here = `${field}.${name}`;
    const spec = section[name];
    if (!isObject(spec)) throw new SweepConfigError(here, 'must be a mapping (value, values, min/max, distribution)');
    if ('parameters' in spec) {
      const extra = Object.keys(spec).find((k) => k !== 'parameters');
      if (extra) throw new SweepConfigError(`${here}.${extra}`, 'a nested parameter takes only `parameters`');
      specs.push(...validateParameters(spec.parameters, `${here}.parameters`, [...prefix, name]));
    } else specs.push(validateParameter(here, [...prefix, name], spec));
  }
  return specs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** wandb's inference when `distribution` is absent: value -> constant, values -> categorical, min/max -> uniforms. */
function inferDistribution(field: string, spec: Record<string, unknown>): DistributionName {
  if (spec.distribution !== undefined) {
    if (!DISTRIBUTIONS.includes(spec.distribution as DistributionName))
      throw new SweepConfigError(
        `${field}.distribution`,
        `unknown distribution ${JSON.stringify(spec.distribution)}; use one of ${DISTRIBUTIONS.join(', ')}`,
      );
    return spec.distribution as DistributionName;
  }
  if ('value' in spec) return 'constant';
  if ('values' in spec) return 'categorical';
  if ('min' in spec && 'max' in spec)
    return Number.isInteger(spec.min) && Number.isInteger(spec.max) ? 'int_uniform' : 'uniform';
  throw new SweepConfigError(field, 'give value, values, min and max, or a distribution');
}

function validateParameter(field: string, path: string[], spec: Record<string, unknown>): ParameterSpec {
  const distribution = inferDistribution(field, spec);
  const allowed = FIELDS[distribution];
  for (const key of Object.keys(spec)) {
    if (key !== 'distribution' && !allowed.includes(key))
      throw new SweepConfigError(
        `${field}.${key}`,
        `is not a field of distribution ${distribution} (it takes ${allowed.join(', ')})`,
      );
  }
  const base = { path, key: path.join('.') };
  const number = (name: string, fallback?: number): number => {
    const value = spec[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new SweepConfigError(`${field}.${name}`, `must be a finite number for distribution ${distribution}`);
    return value;
  };
  const positive = (name: string, fallback?: number): number => {
    const value = number(name, fallback);
    if (value <= 0) throw new SweepConfigError(`${field}.${name}`, 'must be greater than 0');
    return value;
  };
  const range = (): { min: number; max: number } => {
    const min = number('min');
    const max = number('max');
    if (min >= max) throw new SweepConfigError(`${field}.max`, `must be greater than min (${min})`);
    return { min, max };
  };
  switch (distribution) {
    case 'constant':
      return { ...base, distribution, value: spec.value };
    case 'categorical':
      return { ...base, distribution, ...categorical(field, spec) };
    case 'int_uniform': {
      const { min, max } = { min: number('min'), max: number('max') };
      if (!Number.isInteger(min)) throw new SweepConfigError(`${field}.min`, 'must be an integer for int_uniform');
      if (!Number.isInteger(max)) throw new SweepConfigError(`${field}.max`, 'must be an integer for int_uniform');
      if (min > max) throw new SweepConfigError(`${field}.max`, `must be at least min (${min})`);
      return { ...base, distribution, min, max };
    }
    case 'uniform':
    case 'log_uniform':
    case 'inv_log_uniform':
      return { ...base, distribution, ...range() };
    case 'log_uniform_values':
    case 'inv_log_uniform_values': {
      positive('min');
      return { ...base, distribution, ...range() };
    }
    case 'q_uniform':
    case 'q_log_uniform':
      return { ...base, distribution, ...range(), q: positive('q', 1) };
    case 'q_log_uniform_values':
      positive('min');
      return { ...base, distribution, ...range(), q: positive('q', 1) };
    case 'normal':
    case 'log_normal':
      return { ...base, distribution, mu: number('mu', 0), sigma: positive('sigma', 1) };
    case 'q_normal':
    case 'q_log_normal':
      return { ...base, distribution, mu: number('mu', 0), sigma: positive('sigma', 1), q: positive('q', 1) };
  }
}

function categorical(field: string, spec: Record<string, unknown>): { values: unknown[]; probabilities?: number[] } {
  const values = spec.values;
  if (!Array.isArray(values) || values.length === 0)
    throw new SweepConfigError(`${field}.values`, 'must be a non-empty list');
  if (spec.probabilities === undefined) return { values };
  const probabilities = spec.probabilities;
  if (
    !Array.isArray(probabilities) ||
    probabilities.length !== values.length ||
    !probabilities.every((p) => typeof p === 'number' && Number.isFinite(p) && p >= 0)
  )
    throw new SweepConfigError(
      `${field}.probabilities`,
      `must be ${values.length} non-negative numbers, one per value`,
    );
  const sum = probabilities.reduce((a: number, b: number) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6)
    throw new SweepConfigError(`${field}.probabilities`, `must sum to 1 (they sum to ${sum})`);
  return { values, probabilities };
}
