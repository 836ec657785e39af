/**
 * runlog's one codec for the values JSON cannot hold (docs/FORMAT.md, "Values"), kept exact: NaN, ±Infinity and
 * -0 become {"_type":"float","value":"NaN"|"Infinity"|"-Infinity"|"-0"}, dates {"_type":"date","value":ISO}.
 * `_type` is reserved, so decoding can never mistake a user's object or string for one of these.
 *
 * Browser-safe (no `node:` imports): the dashboard app and @runlog/browser use it through `@runlog/core/browser`.
 * The history writer writes the same forms as bytes (ENCODED_FLOATS); every reader decodes with decodeJsonValue.
 */

/** The key that marks an encoded value, a media reference or a histogram. */
export const TYPE_KEY = '_type';
export const FLOAT_TYPE = 'float';
export const DATE_TYPE = 'date';

/** The JSON text of each special float, as written in history rows. */
export const ENCODED_FLOATS = {
  nan: '{"_type":"float","value":"NaN"}',
  inf: '{"_type":"float","value":"Infinity"}',
  ninf: '{"_type":"float","value":"-Infinity"}',
  nzero: '{"_type":"float","value":"-0"}',
} as const;

export function encodeSpecialNumber(value: number): { _type: 'float'; value: string } | number {
  if (Number.isNaN(value)) return { _type: FLOAT_TYPE, value: 'NaN' };
  if (value === Number.POSITIVE_INFINITY) return { _type: FLOAT_TYPE, value: 'Infinity' };
  if (value === Number.NEGATIVE_INFINITY) return { _type: FLOAT_TYPE, value: '-Infinity' };
  if (value === 0 && 1 / value < 0) return { _type: FLOAT_TYPE, value: '-0' };
  return value;
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  // JSON.stringify calls toJSON before the replacer, so read dates from the holder.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return { _type: DATE_TYPE, value: raw.toISOString() };
  if (typeof value === 'number') return encodeSpecialNumber(value);
  return value;
}

/** JSON.stringify with NaN, ±Infinity, -0 and dates encoded. */
export function encodeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, replacer, indent);
}

const FLOATS: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-0': -0,
};

/**
 * Turns the encoded forms back into numbers and dates, in place; other objects (histograms, media) stay as they
 * are.
 */
export function decodeJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeJsonValue(value[i]);
    return value;
  }
  const object = value as Record<string, unknown>;
  const type = object._type;
  if (type === FLOAT_TYPE && typeof object.value === 'string' && object.value in FLOATS) return FLOATS[object.value];
  if (type === DATE_TYPE && typeof object.value === 'string') return new Date(object.value);
  for (const key in object) object[key] = decodeJsonValue(object[key]);
  return object;
}

/** decodeJsonValue for one row (a parsed JSON object), touching only its values that are objects. */
export function decodeRow<T extends Record<string, unknown>>(row: T): T {
  for (const key in row) {
    const value = row[key];
    if (value !== null && typeof value === 'object') (row as Record<string, unknown>)[key] = decodeJsonValue(value);
  }
  return row;
}

/** JSON.parse then decodeJsonValue. */
export function decodeJson(text: string): unknown {
  return decodeJsonValue(JSON.parse(text));
}
