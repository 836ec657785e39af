import {
  any,
  cast,
  isFinite as isFiniteOp,
  logicalNot,
  type NamedTensorMap,
  square,
  stack,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';

/**
 * L2 norms of the gradients per layer and overall (`global`), computed on the backend with one small download.
 * `layerOf` maps a weight name to its layer; weights it does not know are grouped under their own name.
 */
export function gradientNorms(gradients: NamedTensorMap, layerOf: (weight: string) => string): Record<string, number> {
  const names = Object.keys(gradients);
  if (names.length === 0) return {};
  const squares = tidy(() => stack(names.map((name) => sum(square(cast(gradients[name], 'float32'))))));
  const perWeight = squares.dataSync();
  squares.dispose();
  const perLayer = new Map<string, number>();
  let total = 0;
  names.forEach((name, i) => {
    const layer = layerOf(name);
    perLayer.set(layer, (perLayer.get(layer) ?? 0) + perWeight[i]);
    total += perWeight[i];
  });
  const norms: Record<string, number> = {};
  for (const [layer, value] of perLayer) norms[layer] = Math.sqrt(value);
  norms.global = Math.sqrt(total);
  return norms;
}

/** The weights whose gradient has a NaN or an infinite value (one reduction per weight, one download). */
export function nonFiniteGradients(gradients: NamedTensorMap): string[] {
  const names = Object.keys(gradients);
  if (names.length === 0) return [];
  // sum() of a tensor is finite only if every element is (or overflows, rarely: then it is checked exactly).
  const sums = tidy(() => stack(names.map((name) => sum(cast(gradients[name], 'float32')))));
  const values = sums.dataSync();
  sums.dispose();
  return names.filter((_, i) => !Number.isFinite(values[i]) && hasNonFinite(gradients[names[i]]));
}

function hasNonFinite(tensor: Tensor): boolean {
  const flag = tidy(() => any(logicalNot(isFiniteOp(tensor))));
  const result = flag.dataSync()[0] === 1;
  flag.dispose();
  return result;
}
