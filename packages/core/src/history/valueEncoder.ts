import { InvalidValueError } from '../errors/runlogError.js';
import { isMediaValue, type MediaValue } from '../media/mediaProtocol.js';
import { computeHistogram } from '../values/histogram.js';
import { ENCODED_FLOATS } from '../values/jsonCodec.js';

/** Longest string a logged value may hold (1 MiB of UTF-16 code units). */
export const MAX_STRING_LENGTH = 1 << 20;
/** Deepest nesting of objects and arrays in one logged value. */
export const MAX_DEPTH = 64;
/** Numeric arrays longer than this are logged as histograms, as wandb does. */
export const HISTOGRAM_ARRAY_THRESHOLD = 32;

/** A tfjs tensor or anything shaped like one (core never imports tfjs). */
export interface TensorLike {
  shape: number[];
  dtype: string;
  dataSync(): ArrayLike<number> | Uint8Array | string[];
}

export function isTensorLike(value: object): value is TensorLike {
  const v = value as Partial<TensorLike>;
  return Array.isArray(v.shape) && typeof v.dtype === 'string' && typeof v.dataSync === 'function';
}

/** The special floats' JSON text comes from the one codec (values/jsonCodec.ts). */
const FLOAT_FRAGMENTS = ENCODED_FLOATS;

/** The JSON text of a number, with NaN, ±Infinity and -0 encoded as docs/FORMAT.md says. */
export function numberFragment(value: number): string {
  if (value === 0) return 1 / value < 0 ? FLOAT_FRAGMENTS.nzero : '0';
  if (value - value === 0) return String(value); // finite (String equals JSON.stringify for finite numbers)
  if (Number.isNaN(value)) return FLOAT_FRAGMENTS.nan;
  return value > 0 ? FLOAT_FRAGMENTS.inf : FLOAT_FRAGMENTS.ninf;
}

/** Validates a key of a logged object; `path` names where it is for the error message. */
export function checkKey(key: string, path: string): void {
  if (key.length === 0)
    throw new InvalidValueError(`empty key in ${path || 'the logged object'}: every key needs a name`, 'INVALID_KEY');
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    throw new InvalidValueError(
      `key ${JSON.stringify(key)} at ${path || 'top level'} is not allowed: rename it`,
      'INVALID_KEY',
    );
  }
  if (key === '_type') {
    throw new InvalidValueError(
      `key "_type" at ${path || 'top level'} is reserved for runlog's encoded values: rename it`,
      'INVALID_KEY',
    );
  }
}

function histogramFragment(values: ArrayLike<number>): string {
  return JSON.stringify(computeHistogram(values));
}

function isTypedNumberArray(value: object): value is ArrayLike<number> {
  return (
    ArrayBuffer.isView(value) &&
    !(value instanceof DataView) &&
    !(value instanceof BigInt64Array) &&
    !(value instanceof BigUint64Array)
  );
}

function isNumberArray(value: unknown[]): boolean {
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'number') return false;
  return true;
}

/**
 * Encodes one logged value (not a media value) as JSON text, validating it fully: throws InvalidValueError
 * naming the key path for functions, symbols, cycles, too-deep nesting, too-long strings, bad keys,
 * out-of-range bigints, invalid dates and objects that are not plain. `undefined` object members are left out
 * and `undefined` array items become null, as in JSON.
 */
export function encodeValue(value: unknown, path: string, depth = 0, ancestors: object[] = []): string | undefined {
  switch (typeof value) {
    case 'number':
      return numberFragment(value);
    case 'string':
      if (value.length > MAX_STRING_LENGTH) {
        throw new InvalidValueError(
          `${path} is a string of ${value.length} characters: the limit is ${MAX_STRING_LENGTH}; save long text as a file or an Html/Text media value`,
        );
      }
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return undefined;
    case 'bigint':
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new InvalidValueError(
          `${path} is the bigint ${value}, beyond ±(2^53-1): log it as a string to keep it exact`,
        );
      }
      return String(value);
    case 'function':
      throw new InvalidValueError(`${path} is a function: log its result instead`);
    case 'symbol':
      throw new InvalidValueError(`${path} is a symbol, which has no value to record`);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (depth >= MAX_DEPTH)
    throw new InvalidValueError(`${path} is nested more than ${MAX_DEPTH} levels deep: flatten it`);
  if (ancestors.includes(object))
    throw new InvalidValueError(`${path} refers back to itself (a cycle): log a copy without the cycle`);
  if (object instanceof Date) {
    const time = object.getTime();
    if (Number.isNaN(time)) throw new InvalidValueError(`${path} is an invalid Date`);
    return `{"_type":"date","value":"${object.toISOString()}"}`;
  }
  if (isMediaValue(object)) {
    throw new InvalidValueError(
      `${path} is a ${object.mediaKind} media value nested inside another value: log media at the top level of the dict (or inside a Table)`,
    );
  }
  if (isTypedNumberArray(object)) return histogramFragment(object);
  if (isTensorLike(object)) return encodeTensor(object, path);
  ancestors.push(object);
  try {
    if (Array.isArray(object)) {
      if (object.length > HISTOGRAM_ARRAY_THRESHOLD && isNumberArray(object)) return histogramFragment(object);
      let out = '[';
      for (let i = 0; i < object.length; i++) {
        if (i > 0) out += ',';
        const item = object[i];
        // A hole (new Array(n), a[1e9] = 1) is refused at the first one: walking a sparse array's length could
        // take minutes, and turning holes into nulls would write gigabytes.
        if (item === undefined && !(i in object)) throw holeError(path, i, object.length);
        out += encodeValue(item, `${path}[${i}]`, depth + 1, ancestors) ?? 'null';
      }
      return `${out}]`;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const name = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new InvalidValueError(
        `${path} is a ${name}, not a plain object, array, number, string or media value: convert it first`,
      );
    }
    if (Object.getOwnPropertySymbols(object).length > 0) {
      throw new InvalidValueError(`${path} has symbol keys: keys must be strings`, 'INVALID_KEY');
    }
    let out = '{';
    let first = true;
    for (const key of Object.keys(object)) {
      checkKey(key, path);
      const fragment = encodeValue((object as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, ancestors);
      if (fragment === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${fragment}`;
      first = false;
    }
    return `${out}}`;
  } finally {
    ancestors.pop();
  }
}

function encodeTensor(tensor: TensorLike, path: string): string {
  if (tensor.dtype === 'string') throw new InvalidValueError(`${path} is a string tensor: log its values as strings`);
  const data = tensor.dataSync() as ArrayLike<number>;
  if (tensor.shape.length === 0) return numberFragment(Number(data[0]));
  return histogramFragment(data);
}

/** A media value, or a list of media values of one kind (a gallery), found at the top level of a logged dict. */
export type MediaSlotValue = MediaValue | MediaValue[];

export function asMediaSlot(value: unknown): MediaSlotValue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (isMediaValue(value)) return value;
  // value[0] first: `every` skips holes, so a sparse array passed it (and took minutes at length 2^32-1).
  if (Array.isArray(value) && value.length > 0 && isMediaValue(value[0]) && isMediaList(value)) {
    const kind = (value[0] as MediaValue).mediaKind;
    if (!value.every((v) => (v as MediaValue).mediaKind === kind)) {
      throw new InvalidValueError(
        'a list of media values must all be of one kind (all images, all videos...)',
        'MEDIA_INVALID',
      );
    }
    return value as MediaValue[];
  }
  return undefined;
}

function isMediaList(value: unknown[]): boolean {
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (!isMediaValue(item)) {
      if (item === undefined && !(i in value)) throw holeError('a list of media values', i, value.length);
      return false;
    }
  }
  return true;
}

function holeError(path: string, index: number, length: number): InvalidValueError {
  return new InvalidValueError(
    `${path} is an array with holes (the first at index ${index} of ${length}): fill them first, for example with Array.from(value, (v) => v ?? null)`,
  );
}
