/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Decimal places of a step like 0.05 (so 3 * 0.1 reads 0.3, not 0.30000000000000004). */
function decimals(step: number): number {
  const text = String(step);
  const exponent = text.match(/e-(\d+)$/);
  if (exponent) return Number(exponent[1]) + (text.split('e')[0].split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/** wandb's quantisation, round(x / q) * q; an integer q gives integers. */
export function quantise(x: number, q: number): number {
  const value = roundHalfEven(x / q) * q;
  if (Number.isInteger(q)) return value;
  const places = decimals(q);
  return places <= 15 ? Number(value.toFixed(places)) : value;
}
