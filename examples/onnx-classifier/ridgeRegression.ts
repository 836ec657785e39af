/**
 * Least squares with an L2 penalty, solved exactly: W = (XᵀX + λI)⁻¹ XᵀY by a Cholesky factorisation.
 * Used to set the dense layer of the example classifier from features and one-hot targets, with no training
 * loop and no randomness.
 * @param x rows x features, row-major
 * @param y rows x outputs, row-major
 * @returns features x outputs, row-major
 */
export function ridgeRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  features: number,
  outputs: number,
  lambda: number,
): Float64Array {
  const a = new Float64Array(features * features); // XᵀX + λI
  const b = new Float64Array(features * outputs); // XᵀY
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < features; i++) {
      const xi = x[r * features + i];
      if (xi === 0) continue;
      for (let j = 0; j <= i; j++) a[i * features + j] += xi * x[r * features + j];
      for (let o = 0; o < outputs; o++) b[i * outputs + o] += xi * y[r * outputs + o];
    }
  }
  for (let i = 0; i < features; i++) {
    a[i * features + i] += lambda;
    for (let j = 0; j < i; j++) a[j * features + i] = a[i * features + j];
  }
  // Cholesky: A = L Lᵀ, L lower triangular, stored in place of A's lower half.
  for (let j = 0; j < features; j++) {
    let diagonal = a[j * features + j];
    for (let k = 0; k < j; k++) diagonal -= a[j * features + k] ** 2;
    const ljj = Math.sqrt(diagonal);
    a[j * features + j] = ljj;
    for (let i = j + 1; i < features; i++) {
      let sum = a[i * features + j];
      for (let k = 0; k < j; k++) sum -= a[i * features + k] * a[j * features + k];
      a[i * features + j] = sum / ljj;
    }
  }
  // Solve L Z = B, then Lᵀ W = Z, for every output column.
  const w = new Float64Array(features * outputs);
  for (let o = 0; o < outputs; o++) {
    const z = new Float64Array(features);
    for (let i = 0; i < features; i++) {
      let sum = b[i * outputs + o];
      for (let k = 0; k < i; k++) sum -= a[i * features + k] * z[k];
      z[i] = sum / a[i * features + i];
    }
    for (let i = features - 1; i >= 0; i--) {
      let sum = z[i];
      for (let k = i + 1; k < features; k++) sum -= a[k * features + i] * w[k * outputs + o];
      w[i * outputs + o] = sum / a[i * features + i];
    }
  }
  return w;
}
