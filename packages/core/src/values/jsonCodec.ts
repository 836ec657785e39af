/**
 * JSON with the values JSON cannot hold kept exact (docs/FORMAT.md, "Values"): NaN, ±Infinity and -0 become
 * {"_type":"float","value":"NaN"|"Infinity"|"-Infinity"|"-0"}, dates {"_type":"date","value":ISO}. `_type` is
 * reserved, so decoding can never mistake a user's object or string for one of these.
 */

export function encodeSpecialNumber(value: number): { _type: 'float'; value: string } | number {
  if (Number.isNaN(value)) return { _type: 'float', value: 'NaN' };
  if (value === Number.POSITIVE_INFINITY) return { _type: 'float', value: 'Infinity' };
  if (value === Number.NEGATIVE_INFINITY) return { _type: 'float', value: '-Infinity' };
  if (value === 0 && 1 / value < 0) return { _type: 'float', value: '-0' };
  return value;
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  // JSON.stringify calls toJSON before the replacer, so read dates from the holder.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return { _type: 'date', value: raw.toISOString() };
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

/** Turns the encoded forms back into numbers and dates; other objects (histograms, media) stay as they are. */
export function decodeJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeJsonValue(value[i]);
    return value;
  }
  const object = value as Record<string, unknown>;
  const type = object._type;
  if (type === 'float' && typeof object.value === 'string' && object.value in FLOATS) return FLOATS[object.value];
  if (type === 'date' && typeof object.value === 'string') return new Date(object.value);
  for (const key in object) object[key] = decodeJsonValue(object[key]);
  return object;
}

/** JSON.parse then decodeJsonValue. */
export function decodeJson(text: string): unknown {
  return decodeJsonValue(JSON.parse(text));
}
