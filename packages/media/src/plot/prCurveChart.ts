import { averagePrecision, precisionRecallCurve } from '../metrics/precisionRecallCurve.js';
import { Table } from '../table.js';
import { Chart } from './chart.js';
import type { ClassLabelInput, ClassProbabilities } from './classPredictions.js';
import { oneVsRest } from './curveInput.js';
import { curveRows, curveSpec } from './curveRows.js';

/** A precision-recall chart with each class's average precision. */
export class PrCurveChart extends Chart {
  constructor(
    table: Table,
    spec: ConstructorParameters<typeof Chart>[2],
    title: string,
    /** scikit-learn's average_precision_score of each class against the rest, keyed by class name. */
    readonly averagePrecision: Record<string, number>,
  ) {
    super('pr-curve', table, spec, title);
  }
}

/**
 * One-vs-rest precision-recall curves, exactly scikit-learn's precision_recall_curve, with each class's
 * average precision (the step-wise area, as average_precision_score).
 * @example
 * const pr = plot.prCurve(labels, probabilities, ['cat', 'dog']);
 * run.log({ pr }); console.log(pr.averagePrecision.dog);
 */
export function prCurve(
  yTrue: ClassLabelInput,
  probs: ClassProbabilities,
  classNames: readonly string[],
  options: { title?: string } = {},
): PrCurveChart {
  const perClass = oneVsRest('plot.prCurve', yTrue, probs, classNames);
  const precisions: Record<string, number> = {};
  const curves = perClass.map(({ name, positives, scores }) => {
    const { precision, recall } = precisionRecallCurve(positives, scores);
    precisions[name] = averagePrecision(positives, scores);
    return { name, x: recall, y: precision };
  });
  const table = new Table({ columns: ['class', 'recall', 'precision'], data: curveRows(curves) });
  const spec = curveSpec(
    { field: 'recall', title: 'Recall' },
    { field: 'precision', title: 'Precision' },
    'step-after',
  );
  return new PrCurveChart(table, spec, options.title ?? 'Precision-Recall', precisions);
}
