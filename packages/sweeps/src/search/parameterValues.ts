import type { ParameterSpec } from '../config/parameterSpec.js';

/** A trial's parameter values by key ('optimizer.lr'), the form the search methods work in. */
export type FlatParams = Record<string, unknown>;

/** The trial's config: nested parameters become nested objects ({ optimizer: { lr } }), as wandb does. */
export function nestParams(specs: readonly ParameterSpec[], flat: FlatParams): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const spec of specs) {
    if (!(spec.key in flat)) continue;
    let node = config;
    for (const part of spec.path.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[spec.path[spec.path.length - 1]] = flat[spec.key];
  }
  return config;
}

/** The parameter values found in a nested config, by key (a missing one is absent). */
export function flattenParams(specs: readonly ParameterSpec[], config: Record<string, unknown>): FlatParams {
  const flat: FlatParams = {};
  for (const spec of specs) {
    let node: unknown = config;
    for (const part of spec.path) {
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    }
    if (node !== undefined) flat[spec.key] = node;
  }
  return flat;
}
