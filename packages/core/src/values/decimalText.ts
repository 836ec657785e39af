/**
 * Numbers written as decimal text straight into bytes, the same text `String(value)` gives, without making a
 * string: formatting floats is the largest cost of a history row. Covers safe integers and the floats whose
 * shortest text has at most 15-16 significant digits in fixed notation; the rest (17 digits, exponents, NaN,
 * ±Infinity, -0) is left to the caller.
 */

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact up to 10^22
const TWO_TO_53 = 2 ** 53;
const LOG10_2 = Math.log10(2);
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the exponent's word

/**
 * Writes `value` at `offset` as `String(value)` would and returns the offset after it, or -1 (nothing written)
 * when the value is not covered. Room for 24 bytes is needed.
 *
 * A float is written as n / 10^k for the smallest k whose n = round(value * 10^k) divides back to exactly
 * `value`: with n < 2^53 and k <= 22 both are exact doubles and the division is correctly rounded, so the text
 * parses back to `value`, and the smallest k gives the fewest digits.
 */
export function writeDecimal(buffer: Uint8Array, offset: number, value: number): number {
  let magnitude = value;
  if (value < 0) magnitude = -value;
  if (Number.isInteger(magnitude)) {
    if (magnitude === 0 || magnitude > Number.MAX_SAFE_INTEGER) return -1; // -0 and 1e21 need String()
    if (value < 0) buffer[offset++] = 45; // '-'
    return writeDigits(buffer, offset, magnitude);
  }
  if (!(magnitude >= 1e-6 && magnitude < 1e15)) return -1; // exponent notation, NaN, Infinity
  const most = mostDecimals(magnitude);
  if (!roundTrips(magnitude, most)) return -1; // needs 17 significant digits
  let fewest = 1; // not 0: the value is not an integer
  let decimals = most;
  while (fewest < decimals) {
    const middle = (fewest + decimals) >> 1;
    if (roundTrips(magnitude, middle)) decimals = middle;
    else fewest = middle + 1;
  }
  const scale = POWERS_OF_TEN[decimals];
  const scaled = Math.round(magnitude * scale);
  let whole = Math.floor(scaled / scale);
  let fraction = scaled - whole * scale;
  if (fraction < 0) {
    whole--;
    fraction += scale;
  }
  if (value < 0) buffer[offset++] = 45;
  offset = writeDigits(buffer, offset, whole);
  buffer[offset++] = 46; // '.'
  return writePaddedDigits(buffer, offset, fraction, decimals);
}

/** The most decimals a fraction of `magnitude` can have with its digits still below 2^53. */
function mostDecimals(magnitude: number): number {
  bits[0] = magnitude;
  const exponent = (words[HIGH_WORD] >>> 20) - 1023; // magnitude is in [2^exponent, 2^(exponent+1))
  let decimals = Math.min(22, Math.floor((52 - exponent) * LOG10_2));
  while (decimals < 22 && magnitude * POWERS_OF_TEN[decimals + 1] < TWO_TO_53) decimals++;
  while (decimals > 0 && magnitude * POWERS_OF_TEN[decimals] >= TWO_TO_53) decimals--;
  return decimals;
}

function roundTrips(magnitude: number, decimals: number): boolean {
  const scale = POWERS_OF_TEN[decimals];
  return Math.round(magnitude * scale) / scale === magnitude;
}

/** Writes a non-negative integer below 2^53 at `offset` in decimal; returns the offset after it. */
export function writeDigits(buffer: Uint8Array, offset: number, value: number): number {
  if (value >= 1e8) {
    const high = Math.floor(value / 1e8);
    offset = writeDigits(buffer, offset, high);
    return writeSmallPadded(buffer, offset, value - high * 1e8, 8);
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) >>> 0) digits++;
  return writeSmallPadded(buffer, offset, value, digits);
}

/** Writes `value` (an integer below 10^digits and below 2^53) as exactly `digits` digits, leading zeros kept. */
function writePaddedDigits(buffer: Uint8Array, offset: number, value: number, digits: number): number {
  if (digits <= 8) return writeSmallPadded(buffer, offset, value, digits);
  const high = Math.floor(value / 1e8);
  offset = writePaddedDigits(buffer, offset, high, digits - 8);
  return writeSmallPadded(buffer, offset, value - high * 1e8, 8);
}

/** `writePaddedDigits` for values below 2^32 (32-bit arithmetic). */
function writeSmallPadded(buffer: Uint8Array, offset: number, value: number, digits: number): number {
  const end = offset + digits;
  let rest = value >>> 0;
  for (let at = end - 1; at >= offset; at--) {
    const quotient = (rest / 10) >>> 0;
    buffer[at] = 48 + rest - quotient * 10;
    rest = quotient;
  }
  return end;
}
