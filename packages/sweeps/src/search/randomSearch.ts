import type { ParameterSpec } from '../config/parameterSpec.js';
import { valueAt } from './distribution.js';
import type { FlatParams } from './parameterValues.js';
import { SeededRandom } from './seededRandom.js';

/**
 * Random search: each parameter drawn from its distribution by inverse transform (wandb's ppf at a uniform
 * quantile). Trial n of a sweep with seed s always gets the same values.
 */
export function randomParams(specs: readonly ParameterSpec[], seed: number, trialNumber: number): FlatParams {
  const random = new SeededRandom(seed, trialNumber, 0x52414e44);
  return sampleParams(specs, random);
}

/** One draw of every parameter from `random`. */
export function sampleParams(specs: readonly ParameterSpec[], random: SeededRandom): FlatParams {
  const params: FlatParams = {};
  for (const spec of specs) params[spec.key] = valueAt(spec, random.next());
  return params;
}
