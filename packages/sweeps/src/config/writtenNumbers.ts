import { SweepConfigError } from './sweepConfigError.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * wandb infers int_uniform for `min: 1, max: 10` and uniform for `min: 1.0, max: 10.0`: the difference is how the
 * numbers are written, which a JavaScript number forgets. The YAML/JSON text is parsed with integers as bigints;
 * this marks a range written with a decimal point as `distribution: uniform`, then turns every bigint back into
 * a number (a config object built in code has no such difference: give `distribution: 'uniform'` there).
 */
export function resolveWrittenNumbers(document: unknown): unknown {
  if (isObject(document) && isObject(document.parameters)) markFloatRanges(document.parameters);
  return toNumbers(document, '');
}

function markFloatRanges(parameters: Record<string, unknown>): void {
  for (const spec of Object.values(parameters)) {
    if (!isObject(spec)) continue;
    if (isObject(spec.parameters)) markFloatRanges(spec.parameters);
    else if (spec.distribution === undefined && 'min' in spec && 'max' in spec) {
      const written = [spec.min, spec.max];
      if (
        written.every((v) => typeof v === 'bigint' || typeof v === 'number') &&
        !written.every((v) => typeof v === 'bigint')
      )
        spec.distribution = 'uniform';
    }
  }
}

function toNumbers(value: unknown, path: string): unknown {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new SweepConfigError(path || '(root)', `${value} is beyond the integers a sweep can hold exactly (±2^53)`);
    return Number(value);
  }
  if (Array.isArray(value)) return value.map((item, i) => toNumbers(item, `${path}[${i}]`));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toNumbers(item, path ? `${path}.${key}` : key);
    return out;
  }
  return value;
}
