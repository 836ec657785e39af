import { MediaInvalidError } from '../errors/mediaInvalidError.js';

/** A class per sample, by index into `classNames` or by name. */
export type ClassLabelInput = ArrayLike<number> | readonly string[];
/** One row of class probabilities (or scores) per sample. */
export type ClassProbabilities = readonly ArrayLike<number>[];

/** Checks class names are distinct strings. */
export function checkClassNames(what: string, classNames: readonly string[]): void {
  if (!Array.isArray(classNames) || classNames.length === 0 || classNames.some((c) => typeof c !== 'string')) {
    throw new MediaInvalidError(`${what}: classNames must be a non-empty array of strings`);
  }
  if (new Set(classNames).size !== classNames.length)
    throw new MediaInvalidError(`${what}: classNames must be distinct`);
}

/** Class indices of labels given as indices or names; a label outside the class list is an error. */
export function classIndices(
  what: string,
  name: string,
  labels: ClassLabelInput,
  classNames: readonly string[],
): number[] {
  if (labels == null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new MediaInvalidError(`${what}: ${name} must be an array of class indices or class names`);
  }
  return Array.from(labels as ArrayLike<number | string>, (label, i) => {
    const index = typeof label === 'string' ? classNames.indexOf(label) : label;
    if (!Number.isInteger(index) || index < 0 || index >= classNames.length) {
      throw new MediaInvalidError(
        `${what}: ${name}[${i}] is ${JSON.stringify(label)}, which is not in the class list (${classNames.join(', ')})`,
      );
    }
    return index;
  });
}

/** Checks a samples x classes matrix of finite scores. */
export function checkProbabilities(what: string, probs: ClassProbabilities, samples: number, classes: number): void {
  if (!Array.isArray(probs) || probs.length !== samples) {
    throw new MediaInvalidError(
      `${what}: probs needs one row per sample (${samples}), got ${Array.isArray(probs) ? probs.length : typeof probs}`,
    );
  }
  probs.forEach((row, i) => {
    if (row == null || row.length !== classes) {
      throw new MediaInvalidError(
        `${what}: probs row ${i} has ${row?.length} values; it needs one per class (${classes})`,
      );
    }
    for (let c = 0; c < classes; c++) {
      if (!Number.isFinite(row[c]))
        throw new MediaInvalidError(`${what}: probs[${i}][${c}] is ${row[c]}; scores must be finite`);
    }
  });
}
