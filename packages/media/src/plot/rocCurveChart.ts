import { auc } from '../metrics/auc.js';
import { rocCurve as rocPoints } from '../metrics/rocCurve.js';
import { Table } from '../table.js';
import { Chart } from './chart.js';
import type { ClassLabelInput, ClassProbabilities } from './classPredictions.js';
import { oneVsRest } from './curveInput.js';
import { curveRows, curveSpec } from './curveRows.js';

/** A ROC chart with the area under each class's curve. */
export class RocCurveChart extends Chart {
  constructor(
    table: Table,
    spec: ConstructorParameters<typeof Chart>[2],
    title: string,
    /** scikit-learn's roc_auc_score of each class against the rest, keyed by class name. */
    readonly auc: Record<string, number>,
  ) {
    super('roc-curve', table, spec, title);
  }
}

/**
 * One-vs-rest ROC curves, one per class, exactly scikit-learn's roc_curve (drop_intermediate=True), with each
 * class's AUC. A class without positive (or negative) samples has a NaN AUC.
 * @example
 * const roc = plot.rocCurve(labels, probabilities, ['cat', 'dog', 'bird']);
 * run.log({ roc }); console.log(roc.auc.cat);
 */
export function rocCurve(
  yTrue: ClassLabelInput,
  probs: ClassProbabilities,
  classNames: readonly string[],
  options: { title?: string } = {},
): RocCurveChart {
  const curves = oneVsRest('plot.rocCurve', yTrue, probs, classNames).map(({ name, positives, scores }) => {
    const { fpr, tpr } = rocPoints(positives, scores);
    return { name, x: fpr, y: tpr };
  });
  const areas: Record<string, number> = {};
  for (const curve of curves) areas[curve.name] = auc(curve.x, curve.y);
  const table = new Table({ columns: ['class', 'fpr', 'tpr'], data: curveRows(curves) });
  const spec = curveSpec(
    { field: 'fpr', title: 'False positive rate' },
    { field: 'tpr', title: 'True positive rate' },
    'linear',
  );
  return new RocCurveChart(table, spec, options.title ?? 'ROC', areas);
}
