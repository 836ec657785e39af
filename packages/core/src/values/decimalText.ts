/**
 * Numbers written as decimal text straight into bytes, the same text `String(value)` gives, without making a
 * string: formatting floats is the largest cost of a history row. Covers safe integers and nearly all floats
 * written in fixed notation (1e-6 <= |value| < 1e15); the rest (exponents, NaN, ±Infinity, -0, and 16-digit
 * texts whose digits exceed 2^53) is left to the caller.
 */

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact up to 10^22
const TWO_TO_53 = 2 ** 53;
const LOG10_2 = Math.log10(2);
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the exponent's word
/** Splits a double into two halves of 26 bits (Dekker), so products of halves are exact; 10^k split once here. */
const SPLIT_FACTOR = 2 ** 27 + 1;
const POWER_HIGH = POWERS_OF_TEN.map((power) => {
  const c = SPLIT_FACTOR * power;
  return c - (c - power);
});
const POWER_LOW = POWERS_OF_TEN.map((power, k) => power - POWER_HIGH[k]);
/** Scratch space for the 17 digits of `writeSeventeenDigits`. */
const seventeen = new Uint8Array(17);

/**
 * Writes `value` at `offset` as `String(value)` would and returns the offset after it, or -1 (nothing written)
 * when the value is not covered. Room for 28 bytes is needed.
 *
 * A float is written as n / 10^k for the smallest k whose n, the integer nearest to value * 10^k, divides back
 * to exactly `value`: with n < 2^53 and k <= 22 both are exact doubles and the division is correctly rounded,
 * so the text parses back to `value`, and the smallest k gives the fewest digits. value * 10^k is taken exactly
 * (as a double and its rounding error), so n is the nearest integer, as the shortest-text algorithm picks it.
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
  const split = SPLIT_FACTOR * magnitude;
  const high = split - (split - magnitude);
  const low = magnitude - high;
  const most = mostDecimals(magnitude);
  if (!roundTrips(magnitude, high, low, most)) {
    // No text of up to `most` decimals reads back as the value; when that was 16 digits, it takes 17.
    if (magnitude * POWERS_OF_TEN[most] < 1e15) return -1;
    return writeSeventeenDigits(buffer, offset, value < 0, magnitude, high, low, most + 1);
  }
  let fewest = 1; // not 0: the value is not an integer
  let decimals = most;
  while (fewest < decimals) {
    const middle = (fewest + decimals) >> 1;
    if (roundTrips(magnitude, high, low, middle)) decimals = middle;
    else fewest = middle + 1;
  }
  const scale = POWERS_OF_TEN[decimals];
  const scaled = nearestScaled(magnitude, high, low, decimals);
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

function roundTrips(magnitude: number, high: number, low: number, decimals: number): boolean {
  return nearestScaled(magnitude, high, low, decimals) / POWERS_OF_TEN[decimals] === magnitude;
}

/** The integer nearest to magnitude * 10^decimals (taken exactly), for products below 2^53. */
function nearestScaled(magnitude: number, high: number, low: number, decimals: number): number {
  const product = magnitude * POWERS_OF_TEN[decimals];
  const whole = Math.floor(product);
  const rest = product - whole + productError(high, low, decimals, product);
  // A tie goes to the even neighbour, as V8's shortest text does.
  if (rest > 0.5 || (rest === 0.5 && whole % 2 !== 0)) return whole + 1;
  if (rest < -0.5 || (rest === -0.5 && whole % 2 !== 0)) return whole - 1;
  return whole;
}

/**
 * The rounding error of `product` = magnitude * 10^decimals (magnitude = high + low, each of 26 bits), so that
 * product + error is the exact product (Dekker's two-product, no fused multiply-add needed).
 */
function productError(high: number, low: number, decimals: number, product: number): number {
  const powerHigh = POWER_HIGH[decimals];
  const powerLow = POWER_LOW[decimals];
  return high * powerHigh - product + high * powerLow + low * powerHigh + low * powerLow;
}

/**
 * Writes the value's 17 significant digits, correctly rounded, with `decimals` of them after the point: the
 * shortest text when no 16-digit one reads back. magnitude * 10^decimals is computed exactly, as a double and
 * its rounding error (Dekker's product), since the 17-digit integer is beyond 2^53. -1 when the result would
 * need String() to agree (a last digit of 0: a shorter text exists after all).
 */
function writeSeventeenDigits(
  buffer: Uint8Array,
  offset: number,
  negative: boolean,
  magnitude: number,
  high: number,
  low: number,
  decimals: number,
): number {
  const product = magnitude * POWERS_OF_TEN[decimals];
  const error = productError(high, low, decimals, product);
  // product + error is exact; product is an integer (>= 2^53); split it into 9 + 8 digits and add the rounding.
  let upper = Math.floor(product / 1e8);
  const errorFloor = Math.floor(error);
  let lower = product - upper * 1e8 + errorFloor;
  const errorRest = error - errorFloor;
  if (errorRest > 0.5 || (errorRest === 0.5 && lower % 2 !== 0)) lower++; // a tie goes to the even neighbour
  while (lower < 0) {
    lower += 1e8;
    upper--;
  }
  while (lower >= 1e8) {
    lower -= 1e8;
    upper++;
  }
  if (upper < 1e8 || upper >= 1e9 || lower % 10 === 0) return -1;
  writeSmallPadded(seventeen, 0, upper, 9);
  writeSmallPadded(seventeen, 9, lower, 8);
  if (negative) buffer[offset++] = 45;
  const wholeDigits = 17 - decimals;
  if (wholeDigits <= 0) {
    buffer[offset++] = 48; // '0'
    buffer[offset++] = 46;
    for (let i = wholeDigits; i < 0; i++) buffer[offset++] = 48;
    for (let i = 0; i < 17; i++) buffer[offset++] = seventeen[i];
    return offset;
  }
  for (let i = 0; i < wholeDigits; i++) buffer[offset++] = seventeen[i];
  buffer[offset++] = 46;
  for (let i = wholeDigits; i < 17; i++) buffer[offset++] = seventeen[i];
  return offset;
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
