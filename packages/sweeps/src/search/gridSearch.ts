import type { ParameterSpec } from '../config/parameterSpec.js';
import { gridValues } from './gridValues.js';
import type { FlatParams } from './parameterValues.js';

/**
 * The grid as wandb walks it: every combination of the parameters' grid values, parameters sorted by key, the
 * last one changing fastest (itertools.product). A point is known by its index, so agents can share the grid by
 * claiming indices.
 */
export class Grid {
  private readonly values: unknown[][];
  readonly size: number;

  constructor(private readonly specs: readonly ParameterSpec[]) {
    this.values = specs.map((spec) => gridValues(spec));
    this.size = this.values.reduce((n, values) => n * values.length, 1);
  }

  /** The parameter values of point `index` (0 <= index < size). */
  point(index: number): FlatParams {
    const choices = new Array<unknown>(this.specs.length);
    let rest = index;
    for (let i = this.specs.length - 1; i >= 0; i--) {
      const values = this.values[i];
      choices[i] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    const params: FlatParams = {};
    this.specs.forEach((spec, i) => {
      params[spec.key] = choices[i];
    });
    return params;
  }

  /** The first index not in `taken`, in the grid's order, or undefined when every point is taken. */
  nextFree(taken: ReadonlySet<number>): number | undefined {
    for (let index = 0; index < this.size; index++) if (!taken.has(index)) return index;
    return undefined;
  }
}
