import { toEpochMs } from '../run/liveness.js';
import { FilterError } from './filterError.js';
import { compileLinearRegex } from './linearRegex.js';
import { DATE_FIELDS, fieldReader, type RunFacts } from './runFields.js';
import { isRunState, RUN_STATES } from './runRecord.js';

/**
 * A MongoDB-style runs filter (the shape wandb's `api.runs(filters=...)` takes), matched locally.
 *
 * Fields: `state`, `tags`, `group`, `jobType`, `name`, `id`, `project`, `notes`, `createdAt`, `startedAt`,
 * `finishedAt`, `updatedAt`, `runtime` (seconds), `config.<key path>`, `summary.<key path>`.
 * A plain value means equality (`{ state: 'finished' }`; on `tags` it means "has this tag"). Operators:
 * `$eq $ne $gt $gte $lt $lte $in $nin $exists $regex` (with optional `$options`: i, m, s; RE2 syntax, evaluated
 * in linear time, at most 1,000 characters) and `$not` on a field;
 * `$and`, `$or` (arrays of filters) and `$not` (a filter) at any level. Dates accept ISO strings, `Date`s or
 * epoch milliseconds. `$exists: false` also matches null. Anything else is a FilterError (FILTER_INVALID).
 * @example
 * api.runs('digits', { filters: { state: 'finished', 'summary.val/acc': { $gte: 0.9 }, tags: { $in: ['baseline'] } } })
 */
export type RunFilter = { [field: string]: unknown };

export type RunPredicate = (facts: RunFacts) => boolean;

type FieldKind = 'state' | 'tags' | 'date' | 'text' | 'number' | 'value';

const COMPARISONS = ['$gt', '$gte', '$lt', '$lte'] as const;
const FIELD_OPERATORS = new Set(['$eq', '$ne', ...COMPARISONS, '$in', '$nin', '$exists', '$regex', '$options', '$not']);

/** Compiles a filter once into a predicate; every mistake is reported before any run is read. */
export function compileRunFilter(filter: unknown, where = 'filters'): RunPredicate {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw new FilterError(`${where} must be an object like { "state": "finished" }, got ${describe(filter)}`);
  }
  const parts: RunPredicate[] = [];
  for (const [key, operand] of Object.entries(filter)) {
    const at = `${where}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(operand) || operand.length === 0) {
        throw new FilterError(`${at} must be a non-empty array of filters, got ${describe(operand)}`);
      }
      const subs = operand.map((sub, i) => compileRunFilter(sub, `${at}[${i}]`));
      parts.push(key === '$and' ? (f) => subs.every((p) => p(f)) : (f) => subs.some((p) => p(f)));
    } else if (key === '$not') {
      const sub = compileRunFilter(operand, at);
      parts.push((f) => !sub(f));
    } else if (key.startsWith('$')) {
      throw new FilterError(`unknown operator ${key} at ${where}: use $and, $or or $not, or a field name`);
    } else {
      parts.push(compileField(key, operand, at));
    }
  }
  return (facts) => parts.every((p) => p(facts));
}

function kindOf(field: string): FieldKind {
  if (field === 'state') return 'state';
  if (field === 'tags') return 'tags';
  if (field === 'runtime') return 'number';
  if (DATE_FIELDS.has(field)) return 'date';
  if (field.startsWith('config.') || field.startsWith('summary.')) return 'value';
  return 'text';
}

function compileField(field: string, operand: unknown, at: string): RunPredicate {
  const read = fieldReader(field);
  const test = compileCondition(kindOf(field), operand, at);
  return (facts) => test(read(facts));
}

type ValueTest = (value: unknown) => boolean;

function isOperatorObject(operand: unknown): operand is Record<string, unknown> {
  if (operand === null || typeof operand !== 'object' || Array.isArray(operand) || operand instanceof Date)
    return false;
  const keys = Object.keys(operand);
  return keys.length > 0 && keys.some((k) => k.startsWith('$'));
}

function compileCondition(kind: FieldKind, operand: unknown, at: string): ValueTest {
  if (operand instanceof RegExp) return compileRegex(kind, operand, undefined, at);
  if (!isOperatorObject(operand)) return compileEquals(kind, operand, at);
  const keys = Object.keys(operand);
  const plain = keys.filter((k) => !k.startsWith('$'));
  if (plain.length > 0) {
    throw new FilterError(`${at} mixes operators with plain keys (${plain.join(', ')}); use one or the other`);
  }
  const tests: ValueTest[] = [];
  for (const [op, value] of Object.entries(operand)) {
    const opAt = `${at}.${op}`;
    if (!FIELD_OPERATORS.has(op)) {
      throw new FilterError(`unknown operator ${op} at ${at}: use one of ${[...FIELD_OPERATORS].join(' ')}`);
    }
    switch (op) {
      case '$eq':
        tests.push(compileEquals(kind, value, opAt));
        break;
      case '$ne': {
        const eq = compileEquals(kind, value, opAt);
        tests.push((v) => !eq(v));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        tests.push(compileComparison(kind, op, value, opAt));
        break;
      case '$in':
      case '$nin': {
        if (!Array.isArray(value)) throw new FilterError(`${opAt} must be an array, got ${describe(value)}`);
        const eqs = value.map((item, i) => compileEquals(kind, item, `${opAt}[${i}]`));
        const anyEqual = (v: unknown) => eqs.some((eq) => eq(v));
        tests.push(op === '$in' ? anyEqual : (v) => !anyEqual(v));
        break;
      }
      case '$exists': {
        if (typeof value !== 'boolean') throw new FilterError(`${opAt} must be true or false, got ${describe(value)}`);
        tests.push((v) => (v !== undefined && v !== null && !(kind === 'tags' && isEmptyArray(v))) === value);
        break;
      }
      case '$regex': {
        const options = operand.$options;
        if (options !== undefined && typeof options !== 'string') {
          throw new FilterError(`${at}.$options must be a string of regex flags, got ${describe(options)}`);
        }
        tests.push(compileRegex(kind, value, options, opAt));
        break;
      }
      case '$options':
        if (operand.$regex === undefined) throw new FilterError(`${opAt} needs a $regex next to it`);
        break;
      case '$not': {
        if (!isOperatorObject(value) && !(value instanceof RegExp)) {
          throw new FilterError(`${opAt} must be an operator object like { "$gt": 1 } or a RegExp`);
        }
        const inner = compileCondition(kind, value, opAt);
        tests.push((v) => !inner(v));
        break;
      }
    }
  }
  return (v) => tests.every((t) => t(v));
}

function compileEquals(kind: FieldKind, operand: unknown, at: string): ValueTest {
  switch (kind) {
    case 'state':
      if (!isRunState(operand)) {
        throw new FilterError(`${at}: ${describe(operand)} is not a run state; use one of ${RUN_STATES.join(', ')}`);
      }
      return (v) => v === operand;
    case 'tags':
      if (typeof operand === 'string') return (v) => Array.isArray(v) && v.includes(operand);
      if (Array.isArray(operand) && operand.every((t) => typeof t === 'string')) {
        return (v) => deepEqual(v, operand);
      }
      throw new FilterError(`${at}: tags are compared with a string (has tag) or an array of strings`);
    case 'date': {
      if (operand === null) return (v) => v === null || v === undefined;
      const ms = dateOperand(operand, at);
      return (v) => v === ms;
    }
    case 'number':
      if (operand === null) return (v) => v === null || v === undefined;
      if (typeof operand !== 'number') throw new FilterError(`${at} must be a number, got ${describe(operand)}`);
      return (v) => v === operand;
    case 'text':
      if (operand !== null && typeof operand !== 'string') {
        throw new FilterError(`${at} must be a string or null, got ${describe(operand)}`);
      }
      return operand === null ? (v) => v === null || v === undefined : (v) => v === operand;
    case 'value':
      if (typeof operand === 'function' || typeof operand === 'symbol' || typeof operand === 'bigint') {
        throw new FilterError(`${at} must be a JSON value, got ${typeof operand}`);
      }
      return (v) => deepEqual(v, operand) || (Array.isArray(v) && v.some((item) => deepEqual(item, operand)));
  }
}

function compileComparison(kind: FieldKind, op: (typeof COMPARISONS)[number], operand: unknown, at: string): ValueTest {
  if (kind === 'state' || kind === 'tags') throw new FilterError(`${at}: ${op} does not apply to ${kind}`);
  let bound: number | string;
  if (kind === 'date') bound = dateOperand(operand, at);
  else if (typeof operand === 'number' && !Number.isNaN(operand)) bound = operand;
  else if (typeof operand === 'string' && kind !== 'number') bound = operand;
  else if (operand instanceof Date && kind === 'value') bound = operand.getTime();
  else {
    const expected = kind === 'number' ? 'a number' : kind === 'text' ? 'a string' : 'a number, string or Date';
    throw new FilterError(`${at} must be ${expected}, got ${describe(operand)}`);
  }
  return (raw) => {
    const v = raw instanceof Date ? raw.getTime() : raw;
    if (typeof v !== typeof bound || (typeof v !== 'number' && typeof v !== 'string')) return false;
    switch (op) {
      case '$gt':
        return v > bound;
      case '$gte':
        return v >= bound;
      case '$lt':
        return v < bound;
      case '$lte':
        return v <= bound;
    }
  };
}

function compileRegex(kind: FieldKind, pattern: unknown, options: string | undefined, at: string): ValueTest {
  if (kind === 'date' || kind === 'number') throw new FilterError(`${at}: $regex applies to text, not ${kind}`);
  const test = compileLinearRegex(pattern, options, at);
  const matches = (v: unknown) => typeof v === 'string' && test(v);
  return kind === 'tags' ? (v) => Array.isArray(v) && v.some(matches) : matches;
}

function dateOperand(operand: unknown, at: string): number {
  const ms = toEpochMs(operand);
  if (ms === undefined || (typeof operand === 'number' && operand < 1e11)) {
    throw new FilterError(`${at} must be a date (ISO string, Date or epoch milliseconds), got ${describe(operand)}`);
  }
  return ms;
}

function isEmptyArray(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]));
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  const json = JSON.stringify(value);
  return `${typeof value} ${json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json}`;
}
