/**
 * Reads a few keys from one history line without JSON.parse, when that is safe: the line is a flat object
 * (no nested `{` or `[`) with no backslash. In such a line a string value cannot contain a quote, so
 * `"key":` can only be the key itself, and every value ends at the next `,` or `}` (a string at its closing
 * quote). Anything else returns NOT_FLAT and the caller parses the line. Values are numbers, strings,
 * booleans or null here; NaN/Infinity (written as objects) make the line non-flat.
 */
export const NOT_FLAT = Symbol('not flat');

/** True when keys can be looked up literally (no quote or backslash to escape). */
export function literalKeys(keys: readonly string[]): boolean {
  return keys.every((k) => !k.includes('"') && !k.includes('\\'));
}

export function isFlatLine(line: string): boolean {
  return (
    line.charCodeAt(0) === 123 /* { */ &&
    line.charCodeAt(line.length - 1) === 125 /* } */ &&
    line.indexOf('{', 1) === -1 &&
    line.indexOf('[') === -1 &&
    line.indexOf('\\') === -1
  );
}

/** The value of `"key":` in a flat line; undefined when the key is absent, NOT_FLAT when unreadable. */
export function readFlatValue(line: string, pattern: string): unknown {
  const at = line.indexOf(pattern);
  if (at === -1) return undefined;
  const start = at + pattern.length;
  const first = line.charCodeAt(start);
  if (first === 34 /* " */) {
    const close = line.indexOf('"', start + 1);
    return close === -1 ? NOT_FLAT : line.slice(start + 1, close);
  }
  let end = line.indexOf(',', start);
  if (end === -1) end = line.length - 1;
  const text = line.slice(start, end);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  const number = text.length > 0 ? Number(text) : Number.NaN;
  return Number.isNaN(number) ? NOT_FLAT : number;
}
