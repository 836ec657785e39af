/**
 * scikit-learn's `_binary_clf_curve`: scores sorted in decreasing order, one point per distinct score, with the
 * false and true positives counted at or above it. `positives[i]` says whether sample i is of the positive class.
 */
export function binaryClassifierCurve(
  positives: ArrayLike<boolean>,
  scores: ArrayLike<number>,
): { fps: number[]; tps: number[]; thresholds: number[] } {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let truePositives = 0;
  for (let k = 0; k < order.length; k++) {
    if (positives[order[k]]) truePositives++;
    // The last sample of each run of equal scores closes a threshold.
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[order[k]]) {
      tps.push(truePositives);
      fps.push(k + 1 - truePositives);
      thresholds.push(scores[order[k]]);
    }
  }
  return { fps, tps, thresholds };
}
