/** How one sample of a batched tensor maps to an image, when it looks like one. */
export interface ImageLayout {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  layout: 'HWC' | 'CHW';
}

const CHANNELS = new Set([1, 3, 4]);

/**
 * Reads a batched tensor shape as images: [N, C, H, W] (NCHW, onnx's convention) or [N, H, W, C] with C 1, 3
 * or 4, or [N, H, W] as gray. Both sides must be at least 4 pixels; otherwise it is not an image.
 */
export function imageLayoutOf(dims: readonly number[]): ImageLayout | undefined {
  const big = (n: number) => n >= 4;
  if (dims.length === 3 && big(dims[1]) && big(dims[2])) {
    return { height: dims[1], width: dims[2], channels: 1, layout: 'HWC' };
  }
  if (dims.length !== 4) return undefined;
  const [, a, b, c] = dims;
  if (CHANNELS.has(a) && big(b) && big(c)) return { channels: a as 1 | 3 | 4, height: b, width: c, layout: 'CHW' };
  if (CHANNELS.has(c) && big(a) && big(b)) return { height: a, width: b, channels: c as 1 | 3 | 4, layout: 'HWC' };
  return undefined;
}
