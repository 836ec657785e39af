import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { checkChannels, checkDimension, checkLength } from './rawImage.js';

/** Where the channel axis of a frame is: [t, c, h, w] (wandb's and PyTorch's default) or [t, h, w, c] (tfjs). */
export type VideoLayout = 'TCHW' | 'THWC';

/**
 * Frames ready to encode: `frames` pictures one after another, each height x width x channels bytes ('THWC') or
 * one plane per channel ('TCHW', kept as given so ffmpeg can read the planes without any conversion).
 */
export interface VideoFrames {
  data: Uint8Array;
  layout: VideoLayout;
  frames: number;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export interface VideoDims {
  batch: number;
  frames: number;
  channels: 1 | 3 | 4;
  height: number;
  width: number;
}

const WHAT = 'Video';

/** Reads [t, c, h, w] / [b, t, c, h, w] (or the channels-last forms) and checks every dimension. */
export function videoDims(shape: readonly number[], layout: VideoLayout): VideoDims {
  if (!Array.isArray(shape) || (shape.length !== 4 && shape.length !== 5)) {
    throw new MediaInvalidError(
      `${WHAT}: shape must be [t, c, h, w] or [b, t, c, h, w] (${layout}), got ${JSON.stringify(shape)}`,
    );
  }
  const [batch, frames, a, b, c] = shape.length === 5 ? shape : [1, ...shape];
  const [channels, height, width] = layout === 'TCHW' ? [a, b, c] : [c, a, b];
  if (frames === 0 || batch === 0)
    throw new MediaInvalidError(`${WHAT}: the video has no frames (shape [${shape.join(', ')}])`);
  checkDimension(batch, 'the batch size', WHAT);
  checkDimension(frames, 'the frame count', WHAT);
  const checked = checkChannels(channels, WHAT);
  if (checked === 2)
    throw new MediaInvalidError(`${WHAT}: 2 channels are not supported; use 1 (gray), 3 (RGB) or 4 (RGBA)`);
  return {
    batch,
    frames,
    channels: checked,
    height: checkDimension(height, 'height', WHAT),
    width: checkDimension(width, 'width', WHAT),
  };
}

export function checkVideoLength(length: number, dims: VideoDims, shape: readonly number[]): void {
  checkLength(
    length,
    dims.batch * dims.frames * dims.channels * dims.height * dims.width,
    `[${shape.join(', ')}]`,
    WHAT,
  );
}

/**
 * One video's frames as they are; a batch tiled into a grid of [t, h, w, c] frames as wandb does: padded with
 * black videos to a power of two, 2^floor((bitLength(b) - 1) / 2) rows, the rest as columns, video i at row
 * i / cols, column i % cols.
 */
export function tileVideo(bytes: Uint8Array, dims: VideoDims, layout: VideoLayout): VideoFrames {
  const { batch, frames, channels, height, width } = dims;
  const padded = isPowerOfTwo(batch) ? batch : 2 ** bitLength(batch);
  const rows = 2 ** Math.floor((bitLength(batch) - 1) / 2);
  const cols = padded / rows;
  const outWidth = cols * width;
  const outHeight = rows * height;
  if (batch === 1) return { data: bytes, layout, frames, width, height, channels };
  const out = new Uint8Array(frames * outHeight * outWidth * channels);
  const plane = height * width;
  const rowBytes = width * channels;
  for (let v = 0; v < batch; v++) {
    const row = Math.floor(v / cols);
    const col = v % cols;
    for (let t = 0; t < frames; t++) {
      const source = (v * frames + t) * plane * channels;
      const frameStart = t * outHeight * outWidth * channels;
      for (let y = 0; y < height; y++) {
        const outRow = frameStart + ((row * height + y) * outWidth + col * width) * channels;
        if (layout === 'THWC') {
          const from = source + y * rowBytes;
          out.set(bytes.subarray(from, from + rowBytes), outRow);
          continue;
        }
        // Channels-first: interleave one plane row at a time (tight loops, no per-pixel branching).
        for (let c = 0; c < channels; c++) {
          const from = source + c * plane + y * width;
          for (let x = 0, o = outRow + c; x < width; x++, o += channels) out[o] = bytes[from + x];
        }
      }
    }
  }
  return { data: out, layout: 'THWC', frames, width: outWidth, height: outHeight, channels };
}

/** The frames as [t, h, w, c] bytes (what sharp reads); channels-first frames are interleaved. */
export function channelsLast(video: VideoFrames): Uint8Array {
  const { data: bytes, frames, channels } = video;
  if (video.layout === 'THWC' || channels === 1) return bytes;
  const plane = video.width * video.height;
  const out = new Uint8Array(bytes.length);
  for (let t = 0; t < frames; t++) {
    const frame = t * plane * channels;
    for (let c = 0; c < channels; c++) {
      const from = frame + c * plane;
      for (let p = 0, o = frame + c; p < plane; p++, o += channels) out[o] = bytes[from + p];
    }
  }
  return out;
}

function bitLength(n: number): number {
  return Math.floor(Math.log2(n)) + 1;
}

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}
