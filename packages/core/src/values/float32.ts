const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);

/**
 * The smallest float32 that is >= `value` (a finite float64). For a float32 `v`, `v >= value` exactly when
 * `v >= ceilToFloat32(value)` (and `v < value` exactly when `v < ceilToFloat32(value)`): how a float32 backend
 * compares its values with numpy's float64 histogram edges without rounding errors.
 */
export function ceilToFloat32(value: number): number {
  const rounded = Math.fround(value);
  if (rounded >= value) return rounded;
  // Step one float32 up: for positive numbers the bit pattern grows, for negative ones it shrinks.
  if (rounded === 0) return 2 ** -149;
  f32[0] = rounded;
  bits[0] += rounded > 0 ? 1 : -1;
  return f32[0];
}
