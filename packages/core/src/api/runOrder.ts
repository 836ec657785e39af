import { FilterError } from './filterError.js';
import { fieldReader, type RunFacts } from './runFields.js';

/**
 * A sort order: a field name (see RunFilter for the fields) with `-` for descending and an optional `+` for
 * ascending, or several of them as an array or a comma-separated string: `'-summary.val/acc,createdAt'`.
 * Runs missing the value sort last in either direction. The default is `'-createdAt'` (newest first).
 */
export type RunOrder = string | readonly string[];

export type RunComparator = (a: RunFacts, b: RunFacts) => number;

export const DEFAULT_RUN_ORDER = '-createdAt';

export function compileRunOrder(order: RunOrder | undefined): RunComparator {
  const specs = (typeof order === 'string' ? order.split(',') : (order ?? [DEFAULT_RUN_ORDER])).map((s) => {
    if (typeof s !== 'string') throw new FilterError(`order must be field names like '-summary.loss', got ${typeof s}`);
    return s.trim();
  });
  if (specs.length === 0 || specs.some((s) => s === '' || s === '-' || s === '+')) {
    throw new FilterError(`order ${JSON.stringify(order)} names no field; use e.g. '-createdAt' or 'summary.loss'`);
  }
  const keys = specs.map((spec) => {
    const descending = spec.startsWith('-');
    const field = spec.startsWith('-') || spec.startsWith('+') ? spec.slice(1) : spec;
    return { read: fieldReader(field), sign: descending ? -1 : 1 };
  });
  // Sort values are read once per run and kept (a sort calls the comparator n log n times).
  const cache = new WeakMap<RunFacts, unknown[]>();
  const valuesOf = (facts: RunFacts) => {
    let values = cache.get(facts);
    if (!values) {
      values = keys.map(({ read }) => read(facts));
      cache.set(facts, values);
    }
    return values;
  };
  // Tie-break on the run id so the order is stable from one listing to the next.
  return (a, b) => {
    const va = valuesOf(a);
    const vb = valuesOf(b);
    for (let i = 0; i < keys.length; i++) {
      const c = compareValues(va[i], vb[i], keys[i].sign);
      if (c !== 0) return c;
    }
    return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;
  };
}

function rank(v: unknown): number {
  if (typeof v === 'number') return Number.isNaN(v) ? 3 : 0;
  if (v instanceof Date) return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  return 4; // missing, null, objects: last
}

function compareValues(a: unknown, b: unknown, sign: number): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra >= 3) return ra - rb;
  const va = a instanceof Date ? a.getTime() : (a as number | string | boolean);
  const vb = b instanceof Date ? b.getTime() : (b as number | string | boolean);
  return va < vb ? -sign : va > vb ? sign : 0;
}
