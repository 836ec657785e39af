import { MediaInvalidError } from './errors/mediaInvalidError.js';

export type Channels = 1 | 2 | 3 | 4;
/** Where the channel axis is: height x width x channels (sharp, tfjs) or channels x height x width (PyTorch). */
export type PixelLayout = 'HWC' | 'CHW';

/** Decoded 8-bit pixels, always height x width x channels. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: Channels;
}

export function checkChannels(channels: number, what: string): Channels {
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new MediaInvalidError(
      `${what}: ${channels} channels are not supported; use 1 (gray), 2, 3 (RGB) or 4 (RGBA)`,
    );
  }
  return channels;
}

export function checkDimension(value: unknown, name: string, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new MediaInvalidError(`${what}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Height, width and channels of an image shape: [h, w], [h, w, c] or [c, h, w]. Without an explicit layout a
 * 3D shape is CHW when its first axis looks like channels (1, 3 or 4) and its last does not, as wandb guesses.
 */
export function imageDims(
  shape: readonly number[],
  layout: PixelLayout | undefined,
  what: string,
): { width: number; height: number; channels: Channels; layout: PixelLayout } {
  if (shape.length === 2) {
    return {
      height: checkDimension(shape[0], 'height', what),
      width: checkDimension(shape[1], 'width', what),
      channels: 1,
      layout: 'HWC',
    };
  }
  if (shape.length !== 3) throw new MediaInvalidError(`${what}: expected a 2D or 3D shape, got [${shape.join(', ')}]`);
  const looksChw = [1, 3, 4].includes(shape[0]) && ![1, 2, 3, 4].includes(shape[2]);
  const resolved = layout ?? (looksChw ? 'CHW' : 'HWC');
  const [c, h, w] = resolved === 'CHW' ? shape : [shape[2], shape[0], shape[1]];
  return {
    height: checkDimension(h, 'height', what),
    width: checkDimension(w, 'width', what),
    channels: checkChannels(c, what),
    layout: resolved,
  };
}

/** Reorders channels x height x width bytes into height x width x channels. */
export function chwToHwc(data: Uint8Array, channels: number, height: number, width: number): Uint8Array {
  if (channels === 1) return data;
  const out = new Uint8Array(data.length);
  const plane = height * width;
  for (let c = 0; c < channels; c++) {
    const offset = c * plane;
    for (let p = 0; p < plane; p++) out[p * channels + c] = data[offset + p];
  }
  return out;
}

export function checkLength(actual: number, expected: number, shapeText: string, what: string): void {
  if (actual !== expected) {
    throw new MediaInvalidError(`${what}: ${actual} values do not fit the shape ${shapeText}, which needs ${expected}`);
  }
}
