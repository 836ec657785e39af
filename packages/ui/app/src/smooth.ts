/**
 * TensorBoard's debiased exponential moving average: weight 0 leaves the values as they are, 0.99 smooths hard.
 * Gaps (null) are kept as gaps.
 */
export function smooth(values: Array<number | null>, weight: number): Array<number | null> {
  if (weight <= 0) return values;
  let last = 0;
  let debias = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return null;
    last = last * weight + (1 - weight) * value;
    debias = debias * weight + (1 - weight);
    return last / debias;
  });
}
