import { binaryClassifierCurve } from './binaryClassifierCurve.js';

export interface RocCurvePoints {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is Infinity (scikit-learn >= 1.3). */
  thresholds: number[];
}

/**
 * scikit-learn's `roc_curve(y_true, y_score, drop_intermediate=True)`: points that are collinear with their
 * neighbours are dropped (where the second difference of both fps and tps is zero), then (0, 0) is prepended.
 * With no negative (positive) sample, fpr (tpr) is NaN, as scikit-learn returns.
 */
export function rocCurve(positives: ArrayLike<boolean>, scores: ArrayLike<number>): RocCurvePoints {
  let { fps, tps, thresholds } = binaryClassifierCurve(positives, scores);
  if (fps.length > 2) {
    const keep = fps.map(
      (_, i) =>
        i === 0 ||
        i === fps.length - 1 ||
        fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 ||
        tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0,
    );
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  fps.unshift(0);
  tps.unshift(0);
  thresholds.unshift(Number.POSITIVE_INFINITY);
  const negatives = fps[fps.length - 1];
  const positivesTotal = tps[tps.length - 1];
  return {
    fpr: fps.map((f) => (negatives > 0 ? f / negatives : Number.NaN)),
    tpr: tps.map((t) => (positivesTotal > 0 ? t / positivesTotal : Number.NaN)),
    thresholds,
  };
}
