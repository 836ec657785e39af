import {
  type ClassLabelInput,
  type ClassProbabilities,
  checkClassNames,
  checkProbabilities,
  classIndices,
} from './classPredictions.js';

/** Per-class (positives, scores) pairs for one-vs-rest curves, after checking the inputs. */
export function oneVsRest(
  what: string,
  yTrue: ClassLabelInput,
  probs: ClassProbabilities,
  classNames: readonly string[],
): { name: string; positives: boolean[]; scores: number[] }[] {
  checkClassNames(what, classNames);
  const actual = classIndices(what, 'yTrue', yTrue, classNames);
  checkProbabilities(what, probs, actual.length, classNames.length);
  return classNames.map((name, c) => ({
    name,
    positives: actual.map((a) => a === c),
    scores: probs.map((row) => row[c]),
  }));
}
