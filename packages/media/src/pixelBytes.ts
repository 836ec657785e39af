import { MediaInvalidError } from './errors/mediaInvalidError.js';

/** How stored numbers map to 8-bit pixel values. */
export type PixelScale = 'unit-float' | 'byte' | 'bool';

/** The pixel scale a typed array implies: floats are in [0, 1], integers in [0, 255]. */
export function pixelScaleOf(values: ArrayLike<number>): PixelScale {
  return values instanceof Float32Array || values instanceof Float64Array ? 'unit-float' : 'byte';
}

/** The pixel scale of a tfjs dtype, or undefined when the dtype cannot hold pixels. */
export function pixelScaleOfDtype(dtype: string): PixelScale | undefined {
  if (dtype === 'float32') return 'unit-float';
  if (dtype === 'int32') return 'byte';
  if (dtype === 'bool') return 'bool';
  return undefined;
}

/**
 * Converts pixel values to bytes. Floats must be finite and in [0, 1] (scaled by 255, rounded); integers must be
 * in [0, 255]; booleans become 0 or 255. `what` names the value in error messages.
 */
export function toPixelBytes(values: ArrayLike<number>, scale: PixelScale, what: string): Uint8Array {
  const n = values.length;
  if (scale === 'byte' && (values instanceof Uint8Array || values instanceof Uint8ClampedArray)) {
    return new Uint8Array(values); // a copy: the caller may reuse its buffer after logging
  }
  const bytes = new Uint8Array(n);
  if (scale === 'unit-float') {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 1)) throw outOfRange(what, i, v, 'floats in [0, 1] (divide 0..255 data by 255)');
      bytes[i] = Math.round(v * 255);
    }
  } else if (scale === 'bool') {
    for (let i = 0; i < n; i++) bytes[i] = values[i] ? 255 : 0;
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 255) || !Number.isInteger(v)) throw outOfRange(what, i, v, 'integers from 0 to 255');
      bytes[i] = v;
    }
  }
  return bytes;
}

function outOfRange(what: string, index: number, value: number, expected: string): MediaInvalidError {
  const kind = Number.isNaN(value) ? 'NaN' : String(value);
  return new MediaInvalidError(`${what}: value ${index} is ${kind}; pixels must be ${expected}`);
}
