/**
 * scikit-learn's `auc(x, y)`: the trapezoidal area under a curve whose x is monotonic (increasing or
 * decreasing; a decreasing x gives the area with its sign flipped back). NaN when x is not monotonic or NaN.
 */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length < 2) return Number.NaN;
  let increasing = true;
  let decreasing = true;
  for (let i = 1; i < x.length; i++) {
    const dx = x[i] - x[i - 1];
    if (dx < 0) increasing = false;
    if (dx > 0) decreasing = false;
    if (Number.isNaN(dx)) return Number.NaN;
  }
  if (!increasing && !decreasing) return Number.NaN;
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return increasing ? area : -area;
}
