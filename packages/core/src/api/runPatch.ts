import type { RunPatch } from '../access/runData.js';
import { InvalidValueError } from '../errors/runlogError.js';
import { checkSummaryKey } from '../summary/summary.js';
import { encodeJson } from '../values/jsonCodec.js';

/** Checks an edit of a run before anything is written (INVALID_ARGUMENT naming the run and the field). */
export function checkRunPatch(runPath: string, patch: RunPatch): void {
  const bad = (what: string) => new InvalidValueError(`${runPath}: ${what}`, 'INVALID_ARGUMENT');
  if (patch === null || typeof patch !== 'object') throw bad('an edit must be an object');
  const { name, tags, notes, group, jobType, config, summary } = patch;
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    throw bad('name must be a non-empty string');
  }
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))) {
    throw bad('tags must be strings');
  }
  if (notes !== undefined && typeof notes !== 'string') throw bad('notes must be a string');
  for (const [field, value] of [
    ['group', group],
    ['jobType', jobType],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw bad(`${field} must be a string or null`);
    }
  }
  if (config !== undefined) checkDocument(bad, 'config', config);
  if (summary !== undefined) {
    if (summary === null || typeof summary !== 'object') throw bad('summary must be { set, remove }');
    if (summary.set !== undefined) {
      checkDocument(bad, 'summary', summary.set);
      for (const key of Object.keys(summary.set)) checkSummaryKey(key, runPath); // as Run's summary.set checks them
    }
    if (
      summary.remove !== undefined &&
      (!Array.isArray(summary.remove) || summary.remove.some((k) => typeof k !== 'string'))
    ) {
      throw bad('summary.remove must be key names');
    }
  }
}

/** A JSON object runlog can store (values encodable by the codec). */
export function checkDocument(bad: (what: string) => Error, field: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`${field} must be an object`);
  try {
    encodeJson(value);
  } catch (error) {
    throw bad(`${field} cannot be stored as JSON (${(error as Error).message})`);
  }
}
