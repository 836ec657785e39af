import { parseRowLine } from '../jsonLines/jsonLineRows.js';

/**
 * A history row of numbers only, read from its bytes without building an object or a string: runlog's columns
 * as fields, the other keys in line order. The cursor reuses it for the next row: read it before moving on.
 */
export interface FlatHistoryRow {
  /** `_step` (NaN when the stream has none: system rows). */
  step: number;
  /** `_runtime`, or NaN when the row has none. */
  runtime: number;
  /** `_timestamp`, or NaN when the row has none. */
  timestamp: number;
  /** How many of `keys`/`values` belong to this row. */
  length: number;
  /** The row's other keys, in the order written (entries past `length` are stale). */
  keys: string[];
  /** Their values, position for position. */
  values: Float64Array;
}

export const ROW_END = 0;
export const FLAT_ROW = 1;
export const PARSED_ROW = 2;
export type CursorResult = typeof ROW_END | typeof FLAT_ROW | typeof PARSED_ROW;

const OTHER = 0;
const STEP = 1;
const RUNTIME = 2;
const TIMESTAMP = 3;
const ROLES: Record<string, number> = { _step: STEP, _runtime: RUNTIME, _timestamp: TIMESTAMP };
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`)); // 1e0..1e22, each exact
const decoder = new TextDecoder();

/**
 * Reads the rows of whole JSON lines from their UTF-8 bytes. A line that is a flat object of numbers (what a loop
 * of `run.log` of scalars writes) comes back as the reused `flat` row: keys are compared as bytes with the key at
 * the same position of the line before and decoded only when they differ; numbers are converted exactly (Clinger's
 * fast path: at most 2^53 in digits times or divided by an exact power of ten, else `Number()` of the text), so
 * the values equal JSON.parse's. Any other line (strings, objects such as NaN's encoding, escapes, a history line
 * without `_step`) goes through the one row parser (`parseRowLine`): `parsed`, or skipped and counted when damaged.
 */
export class RowBytesCursor {
  readonly flat: FlatHistoryRow = {
    step: Number.NaN,
    runtime: Number.NaN,
    timestamp: Number.NaN,
    length: 0,
    keys: [],
    values: new Float64Array(64),
  };
  parsed: Record<string, unknown> = {};
  /** Damaged lines skipped since the last `reset`. */
  skipped = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** The last number read (a double field updated in place: returning doubles would box each one). */
  private numberValue = 0;
  // Per position in the line: the key's bytes, its string and its role, from the last line that had it there.
  private readonly keyBytes: Uint8Array[] = [];
  /** Each key's whole 32-bit words (little-endian), compared a word at a time (about 8% of the reader's time). */
  private readonly keyWords: Int32Array[] = [];
  private view: DataView = new DataView(new ArrayBuffer(0));
  private readonly keyStrings: string[] = [];
  private readonly keyRoles: number[] = [];

  /** How many keys the last flat line had (runlog's columns included), for `flatObject`. */
  private lineKeys = 0;

  /** The last flat row as the object JSON.parse makes of its line: the same keys in the same order. */
  flatObject(): Record<string, unknown> {
    const { flat, keyRoles, keyStrings } = this;
    const row: Record<string, unknown> = {};
    for (let n = 0, other = 0; n < this.lineKeys; n++) {
      const role = keyRoles[n];
      let value: number;
      if (role === OTHER) value = flat.values[other++];
      else if (role === STEP) value = flat.step;
      else value = role === RUNTIME ? flat.runtime : flat.timestamp;
      const key = keyStrings[n];
      // "__proto__" is an own key, as JSON.parse makes it (an assignment would set the prototype)
      if (key !== '__proto__') row[key] = value;
      else Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return row;
  }

  /** `stepped`: rows must have a numeric `_step` to be flat (history); else they need not (system). */
  constructor(private readonly stepped = true) {}

  /** Starts reading `bytes` (whole lines, each ending in '\n'). */
  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.skipped = 0;
  }

  /** Moves to the next row: FLAT_ROW (in `flat`), PARSED_ROW (in `parsed`) or ROW_END. */
  next(): CursorResult {
    const bytes = this.bytes;
    while (this.pos < bytes.length) {
      const start = this.pos;
      const end = this.readFlat(start);
      if (end !== -1) {
        this.pos = end + 1;
        return FLAT_ROW;
      }
      let newline = bytes.indexOf(10, start);
      if (newline === -1) newline = bytes.length;
      this.pos = newline + 1;
      if (newline === start) continue; // an empty line is nothing
      const row = parseRowLine(decoder.decode(bytes.subarray(start, newline)));
      if (row === undefined) {
        this.skipped++;
        continue;
      }
      this.parsed = row;
      return PARSED_ROW;
    }
    return ROW_END;
  }

  /** Reads a flat line of numbers at `p` into `flat`; returns the index of its newline, or -1 if not such a line. */
  private readFlat(p: number): number {
    const b = this.bytes;
    const flat = this.flat;
    if (b[p] !== 123 /* { */ || b[p + 1] !== 34 /* " */) return -1;
    p += 2;
    let n = 0;
    let count = 0;
    let step = Number.NaN;
    let runtime = Number.NaN;
    let timestamp = Number.NaN;
    const keyBytes = this.keyBytes;
    for (;;) {
      // The key and its `":`, compared in one pass with the key at this position in the line before.
      const cached = keyBytes[n];
      let i = 0;
      if (cached !== undefined) {
        const length = cached.length;
        const words = this.keyWords[n];
        const view = this.view;
        let w = 0;
        // (a word is read only where the bytes go on for the whole key: a torn last line may end sooner)
        if (p + length <= b.length) while (w < words.length && words[w] === view.getInt32(p + 4 * w, true)) w++;
        i = 4 * w;
        if (w === words.length) while (i < length && cached[i] === b[p + i]) i++;
        if (i !== length) i = this.newKey(n, p);
      } else i = this.newKey(n, p);
      if (i === -1) return -1;
      p = this.number(p + i);
      if (p === -1) return -1;
      const value = this.numberValue;
      const role = this.keyRoles[n];
      if (role === OTHER) {
        if (count === flat.values.length) {
          const grown = new Float64Array(count * 2);
          grown.set(flat.values);
          flat.values = grown;
        }
        flat.keys[count] = this.keyStrings[n];
        flat.values[count++] = value;
      } else if (role === STEP) step = value;
      else if (role === RUNTIME) runtime = value;
      else timestamp = value;
      n++;
      const c = b[p++];
      if (c === 44 /* , */) {
        if (b[p++] !== 34) return -1;
        continue;
      }
      if (c !== 125 /* } */) return -1;
      break;
    }
    if (p < b.length && b[p] !== 10) return -1;
    if (this.stepped && Number.isNaN(step)) return -1;
    flat.step = step;
    flat.runtime = runtime;
    flat.timestamp = timestamp;
    flat.length = count;
    this.lineKeys = n;
    return p;
  }

  /**
   * Caches the key starting at `start` (after its opening quote) as slot `n`: its bytes with the closing `":`, its
   * string and its role. Returns the bytes up to the value, or -1 for a key this reader leaves to the parser.
   */
  private newKey(n: number, start: number): number {
    const b = this.bytes;
    let p = start;
    for (let c = b[p]; c !== 34; c = b[++p]) {
      if (c === 92 /* \ */ || c === 10 || c === undefined) return -1;
    }
    if (b[p + 1] !== 58 /* : */) return -1;
    const key = decoder.decode(b.subarray(start, p));
    const bytes = b.slice(start, p + 2);
    this.keyBytes[n] = bytes;
    const words = new Int32Array(bytes.length >> 2);
    for (let w = 0; w < words.length; w++) words[w] = this.view.getInt32(start + 4 * w, true);
    this.keyWords[n] = words;
    this.keyStrings[n] = key;
    this.keyRoles[n] = ROLES[key] ?? OTHER;
    return p + 2 - start;
  }

  /**
   * Reads the JSON number at `p` into numberValue; returns the index after it, or -1 (a string, object...). The
   * common cases are read here in one pass: at most 15 significant digits, and a fraction of up to 19 (a double's
   * shortest form often has 17) when its quotient is sure; any other number is read again by `exactNumber`.
   */
  private number(p: number): number {
    const b = this.bytes;
    const start = p;
    let c = b[p];
    const negative = c === 45; /* - */
    if (negative) c = b[++p];
    let digits = 0;
    let value = 0; // the first 15 significant digits (exact)
    let low = 0; // up to 4 more
    let exponent = 0;
    if (c === 48 /* 0 */) c = b[++p];
    else if (c >= 49 && c <= 57) {
      do {
        if (digits < 15) value = value * 10 + (c - 48);
        else {
          low = low * 10 + (c - 48);
          exponent++;
        }
        digits++;
        c = b[++p];
      } while (c >= 48 && c <= 57);
    } else return -1;
    if (c === 46 /* . */) {
      c = b[++p];
      if (digits === 0) {
        for (; c === 48; c = b[++p]) exponent--; // leading zeros
      }
      for (; c >= 48 && c <= 57; c = b[++p]) {
        if (digits < 15) {
          value = value * 10 + (c - 48);
          exponent--;
        } else low = low * 10 + (c - 48);
        digits++;
      }
    }
    // An exponent, a point without digits after it ("1.": the exact reader rejects it), or out of range
    if (exponent < -22 || digits > 19 || c === 101 || c === 69 /* e E */ || b[p - 1] === 46) {
      return this.exactNumber(start);
    }
    if (digits > 15) {
      // 16 to 19 significant digits (a double's shortest form often has 17): value * 10^(digits-15) + low, exactly
      // divided by a power of ten when it is sure; else the exact reader.
      const lowDigits = digits - 15;
      const down = exponent - lowDigits; // the power of ten of the whole integer
      if (!(down < 0 && down >= -22)) return this.exactNumber(start);
      quotientOfDigits(value, low, POW10[lowDigits], POW10[-down]);
      const q = PRODUCT[2];
      if (Number.isNaN(q)) return this.exactNumber(start);
      this.numberValue = negative ? -q : q;
      return p;
    }
    // Clinger's fast path: an exact integer below 2^53 divided by an exact power of ten rounds once.
    if (exponent !== 0) value /= POW10[-exponent];
    this.numberValue = negative ? -value : value;
    return p;
  }

  /** Any JSON number at `p`, exactly as JSON.parse reads it (see `number`). */
  private exactNumber(p: number): number {
    const b = this.bytes;
    const start = p;
    let c = b[p];
    const negative = c === 45; /* - */
    if (negative) c = b[++p];
    // Significant digits: the first 15 in `high` (exact), up to 4 more in `low`; more than 19 take Number().
    let high = 0;
    let low = 0;
    let digits = 0;
    let exponent = 0;
    let tooLong = false;
    if (c === 48 /* 0 */) c = b[++p];
    else if (c >= 49 && c <= 57) {
      do {
        high = high * 10 + (c - 48);
        digits++;
        c = b[++p];
      } while (digits < 15 && c >= 48 && c <= 57);
      for (; c >= 48 && c <= 57; c = b[++p]) {
        if (digits < 19) low = low * 10 + (c - 48);
        else {
          tooLong = true;
          exponent++;
        }
        digits++;
      }
    } else return -1;
    if (c === 46 /* . */) {
      c = b[++p];
      if (!(c >= 48 && c <= 57)) return -1;
      if (digits === 0) {
        for (; c === 48; c = b[++p]) exponent--; // leading zeros
      }
      for (; digits < 15 && c >= 48 && c <= 57; c = b[++p]) {
        high = high * 10 + (c - 48);
        digits++;
        exponent--;
      }
      for (; c >= 48 && c <= 57; c = b[++p]) {
        if (digits < 19) {
          low = low * 10 + (c - 48);
          digits++;
          exponent--;
        } else tooLong = true;
      }
    }
    if (c === 101 || c === 69 /* e E */) {
      c = b[++p];
      const down = c === 45;
      if (c === 45 || c === 43) c = b[++p];
      if (!(c >= 48 && c <= 57)) return -1;
      let e = 0;
      do {
        if (e < 100000) e = e * 10 + (c - 48);
        c = b[++p];
      } while (c >= 48 && c <= 57);
      exponent += down ? -e : e;
    }
    let value = Number.NaN;
    if (tooLong) value = Number.NaN;
    else if (digits <= 15) {
      // Clinger's fast path: an exact integer below 2^53 times or divided by an exact power of ten rounds once.
      if (exponent === 0) value = high;
      else if (exponent < 0 && exponent >= -22) value = high / POW10[-exponent];
      else if (exponent > 0 && exponent <= 22) value = high * POW10[exponent];
    } else if (exponent < 0 && exponent >= -22) {
      quotientOfDigits(high, low, POW10[digits - 15], POW10[-exponent]);
      value = PRODUCT[2];
    }
    if (Number.isNaN(value)) this.numberValue = Number(latin1Slice.call(b, start, p));
    else this.numberValue = negative ? -value : value;
    return p;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: Buffer's own latin1 decoder, applied to any Uint8Array (digits are ASCII)
const latin1Slice = (Buffer.prototype as any).latin1Slice as (this: Uint8Array, start: number, end: number) => string;

const SPLITTER = 134217729; // 2^27 + 1 (Dekker's split)

/** Results of the helpers below (doubles in a typed array: returned, each would be a new heap number). */
const PRODUCT = new Float64Array(3);

/** a * b as hi + lo exactly (Dekker's product, no fused multiply-add in JS), in PRODUCT[0], PRODUCT[1]. */
function twoProduct(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  PRODUCT[0] = p;
  PRODUCT[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * (high * scale + low) / divisor correctly rounded, for 16 to 19 significant digits (the integer exceeds 2^53):
 * the integer as an exact sum of two doubles, a first quotient, its exact remainder, and the correction. When the
 * correction lies too near a rounding boundary to be sure, NaN (the caller then takes Number() of the text).
 * The result goes in PRODUCT[2].
 */
function quotientOfDigits(high: number, low: number, scale: number, divisor: number): void {
  twoProduct(high, scale); // high * scale exactly
  const p = PRODUCT[0];
  const s = p + low;
  const t = PRODUCT[1] + (low - (s - p)) + (p - (s - (s - p))); // integer = s + t exactly (small integers)
  const q = s / divisor;
  twoProduct(q, divisor);
  const remainder = s - PRODUCT[0] - PRODUCT[1] + t;
  const correction = remainder / divisor;
  const result = q + correction;
  // The correction carries a relative error near 2^-52: a result that moves when it moves by 2^-30 is ambiguous.
  const sure = q + correction * (1 + 2 ** -30) === result && q + correction * (1 - 2 ** -30) === result;
  PRODUCT[2] = sure ? result : Number.NaN;
}
