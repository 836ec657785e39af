import { binaryClassifierCurve } from './binaryClassifierCurve.js';

export interface PrecisionRecallPoints {
  /** Ends with 1 (scikit-learn's convention). */
  precision: number[];
  /** Decreasing, ends with 0. */
  recall: number[];
  thresholds: number[];
}

/**
 * scikit-learn's `precision_recall_curve` (drop_intermediate=False): one point per distinct score, in order of
 * increasing threshold, then the point (recall 0, precision 1). Precision is 0 where nothing is predicted
 * positive; recall is 1 everywhere when there is no positive sample.
 */
export function precisionRecallCurve(positives: ArrayLike<boolean>, scores: ArrayLike<number>): PrecisionRecallPoints {
  const { fps, tps, thresholds } = binaryClassifierCurve(positives, scores);
  const total = tps[tps.length - 1];
  const precision = tps.map((tp, i) => (tp + fps[i] !== 0 ? tp / (tp + fps[i]) : 0));
  const recall = tps.map((tp) => (total === 0 ? 1 : tp / total));
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: thresholds.reverse(),
  };
}

/** scikit-learn's `average_precision_score`: -sum(diff(recall) * precision[:-1]), the step-wise area. */
export function averagePrecision(positives: ArrayLike<boolean>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(positives, scores);
  let sum = 0;
  for (let i = 0; i < recall.length - 1; i++) sum += (recall[i + 1] - recall[i]) * precision[i];
  return -sum;
}
