import type { ParameterSpec } from '../config/parameterSpec.js';
import { SweepConfigError } from '../config/sweepConfigError.js';

/** The field of a (possibly nested) parameter in the config: parameters.optimizer.parameters.lr. */
export function parameterField(spec: ParameterSpec): string {
  return `parameters.${spec.path.join('.parameters.')}`;
}

/**
 * A parameter's values on the grid, as wandb enumerates them: constant -> [value], values -> values,
 * int_uniform -> min..max, q_uniform -> min, min+q, ... below max (numpy's arange). Other distributions have no
 * grid: a SweepConfigError naming the parameter.
 */
export function gridValues(spec: ParameterSpec): unknown[] {
  switch (spec.distribution) {
    case 'constant':
      return [spec.value];
    case 'categorical':
      if (spec.probabilities)
        throw new SweepConfigError(`${parameterField(spec)}.probabilities`, 'grid search takes no probabilities');
      return spec.values;
    case 'int_uniform':
      return Array.from({ length: spec.max - spec.min + 1 }, (_, i) => spec.min + i);
    case 'q_uniform': {
      const count = Math.ceil((spec.max - spec.min) / spec.q);
      // 15 significant digits drop float noise (0.30000000000000004) without moving a real value.
      return Array.from({ length: count }, (_, i) => Number((spec.min + i * spec.q).toPrecision(15)));
    }
    default:
      throw new SweepConfigError(
        `${parameterField(spec)}.distribution`,
        `grid search takes values, value, int_uniform or q_uniform, not ${spec.distribution}`,
      );
  }
}
