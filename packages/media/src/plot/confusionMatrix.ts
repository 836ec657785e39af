import { MediaInvalidError } from '../errors/mediaInvalidError.js';
import { Table } from '../table.js';
import { Chart } from './chart.js';
import {
  type ClassLabelInput,
  type ClassProbabilities,
  checkClassNames,
  checkProbabilities,
  classIndices,
} from './classPredictions.js';

export interface ConfusionMatrixInput {
  /** The true class of each sample (indices into classNames, or names). */
  yTrue: ClassLabelInput;
  /** The predicted class of each sample; or give `probs` and the highest score wins. */
  preds?: ClassLabelInput;
  probs?: ClassProbabilities;
  classNames: readonly string[];
  title?: string;
}

/** A chart whose counts are also available as `matrix[actual][predicted]`. */
export class ConfusionMatrixChart extends Chart {
  constructor(
    table: Table,
    spec: ConstructorParameters<typeof Chart>[2],
    title: string,
    readonly matrix: number[][],
  ) {
    super('confusion-matrix', table, spec, title);
  }
}

/**
 * A confusion matrix as wandb draws it: a table of (Actual, Predicted, nPredictions) for every pair of classes
 * and a heatmap with the counts written in the cells.
 * @example
 * run.log({ confusion: plot.confusionMatrix({ yTrue: labels, preds, classNames: ['cat', 'dog'] }) });
 */
export function confusionMatrix(input: ConfusionMatrixInput): ConfusionMatrixChart {
  const what = 'plot.confusionMatrix';
  if (typeof input !== 'object' || input === null)
    throw new MediaInvalidError(`${what}: expected { yTrue, preds | probs, classNames }`);
  const { classNames } = input;
  checkClassNames(what, classNames);
  const actual = classIndices(what, 'yTrue', input.yTrue, classNames);
  if ((input.preds === undefined) === (input.probs === undefined))
    throw new MediaInvalidError(`${what}: give exactly one of preds and probs`);
  let predicted: number[];
  if (input.preds !== undefined) {
    predicted = classIndices(what, 'preds', input.preds, classNames);
  } else {
    checkProbabilities(what, input.probs!, actual.length, classNames.length);
    predicted = input.probs!.map((row) => {
      let best = 0;
      for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
      return best;
    });
  }
  if (predicted.length !== actual.length) {
    throw new MediaInvalidError(`${what}: yTrue has ${actual.length} samples but preds has ${predicted.length}`);
  }
  const matrix = classNames.map(() => new Array<number>(classNames.length).fill(0));
  actual.forEach((a, i) => {
    matrix[a][predicted[i]]++;
  });
  const data = classNames.flatMap((a, i) => classNames.map((p, j) => [a, p, matrix[i][j]]));
  const table = new Table({ columns: ['Actual', 'Predicted', 'nPredictions'], data });
  const axes = {
    x: { field: 'Predicted', type: 'nominal', sort: [...classNames] },
    y: { field: 'Actual', type: 'nominal', sort: [...classNames] },
  };
  const spec = {
    layer: [
      { mark: 'rect', encoding: { ...axes, color: { field: 'nPredictions', type: 'quantitative' } } },
      { mark: { type: 'text' }, encoding: { ...axes, text: { field: 'nPredictions', type: 'quantitative' } } },
    ],
  };
  return new ConfusionMatrixChart(table, spec, input.title ?? 'Confusion Matrix', matrix);
}
