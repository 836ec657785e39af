import { metrics } from '@runlog/media';
import { describe, expect, it } from 'vitest';

const bools = (ys: number[]) => ys.map((y) => y === 1);

/** AUC as the Mann-Whitney statistic: P(score of a positive > score of a negative), ties counting half. */
function mannWhitneyAuc(positives: boolean[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  positives.forEach((p, i) => {
    if (!p) return;
    positives.forEach((q, j) => {
      if (q) return;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** Average precision by its definition: sum over distinct thresholds (descending) of (R_k - R_k-1) * P_k. */
function bruteAveragePrecision(positives: boolean[], scores: number[]): number {
  const total = positives.filter(Boolean).length;
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  let previousRecall = 0;
  let ap = 0;
  for (const t of thresholds) {
    const selected = scores.map((s, i) => [s, positives[i]] as const).filter(([s]) => s >= t);
    const tp = selected.filter(([, p]) => p).length;
    const recall = tp / total;
    ap += (recall - previousRecall) * (tp / selected.length);
    previousRecall = recall;
  }
  return ap;
}

describe('scikit-learn metrics', () => {
  it('roc_curve: the documented example', () => {
    // sklearn docs: roc_curve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], pos_label=2)
    const roc = metrics.rocCurve([false, false, true, true], [0.1, 0.4, 0.35, 0.8]);
    expect(roc.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(roc.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1]);
    expect(metrics.auc(roc.fpr, roc.tpr)).toBe(0.75);
  });

  it('roc_curve drops collinear points (drop_intermediate=True) and handles ties', () => {
    const roc = metrics.rocCurve(bools([0, 0, 0, 1, 1, 1]), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(roc.fpr).toEqual([0, 0, 0, 1]);
    expect(roc.tpr).toEqual([0, 1 / 3, 1, 1]);
    expect(roc.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.6, 0.4, 0.1]);
    const tied = metrics.rocCurve(bools([0, 1, 0, 1]), [0.5, 0.5, 0.5, 0.5]);
    expect([tied.fpr, tied.tpr]).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(Number.isNaN(metrics.rocCurve(bools([0, 0]), [0.1, 0.2]).tpr[1])).toBe(true);
  });

  it('precision_recall_curve and average_precision_score: the documented example', () => {
    // sklearn docs: precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    const pr = metrics.precisionRecallCurve(bools([0, 0, 1, 1]), [0.1, 0.4, 0.35, 0.8]);
    expect(pr.precision).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect(pr.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(pr.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    // sklearn docs: average_precision_score(y_true, y_scores) -> 0.8333333333333333
    expect(metrics.averagePrecision(bools([0, 0, 1, 1]), [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333333333, 15);
    expect(metrics.averagePrecision(bools([0, 1, 0, 1]), [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('agree with independent definitions on random data with ties', () => {
    let seed = 3;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    for (let trial = 0; trial < 40; trial++) {
      const n = 5 + Math.floor(random() * 60);
      const positives = Array.from({ length: n }, (_, i) => (i < 2 ? i === 0 : random() < 0.4));
      const scores = Array.from({ length: n }, () => Math.round(random() * 20) / 20); // many ties
      const roc = metrics.rocCurve(positives, scores);
      expect(metrics.auc(roc.fpr, roc.tpr)).toBeCloseTo(mannWhitneyAuc(positives, scores), 12);
      expect(metrics.averagePrecision(positives, scores)).toBeCloseTo(bruteAveragePrecision(positives, scores), 12);
    }
  });

  it('auc accepts decreasing x and refuses non-monotonic x', () => {
    expect(metrics.auc([1, 0.5, 0], [1, 1, 0])).toBe(0.75);
    expect(Number.isNaN(metrics.auc([0, 1, 0.5], [0, 1, 1]))).toBe(true);
  });
});
