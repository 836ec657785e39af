import { MediaInvalidError } from './errors/mediaInvalidError.js';

/** Class id -> label, as wandb's `class_labels`: `{ 0: 'background', 1: 'cat' }`. */
export type ClassLabels = Record<number, string>;

/** Checks the ids are integers and the labels strings; returns them keyed by the id's decimal string. */
export function normalizeClassLabels(labels: ClassLabels, what: string): Record<string, string> {
  if (typeof labels !== 'object' || labels === null)
    throw new MediaInvalidError(`${what}: classLabels must be an object`);
  const out: Record<string, string> = {};
  for (const [key, label] of Object.entries(labels)) {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0)
      throw new MediaInvalidError(`${what}: class id ${key} must be an integer >= 0`);
    if (typeof label !== 'string') throw new MediaInvalidError(`${what}: the label of class ${key} must be a string`);
    out[String(id)] = label;
  }
  return out;
}
