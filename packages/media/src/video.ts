import { readFile } from 'node:fs/promises';
import { type MediaRef, type MediaWriteContext, RunlogError } from '@runlog/core';
import { encodeAnimation } from './encodeAnimation.js';
import { encodeWithFfmpeg } from './encodeWithFfmpeg.js';
import { MediaEncodeError } from './errors/mediaEncodeError.js';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { type FfmpegSearch, resolveFfmpeg } from './ffmpegLocator.js';
import { Media } from './media.js';
import { type PixelScale, pixelScaleOf, pixelScaleOfDtype, toPixelBytes } from './pixelBytes.js';
import { openSourceFile } from './sourceFile.js';
import { isTensorLike, readTensor, releaseTensor, retainTensor, type TensorLike } from './tensorLike.js';
import {
  checkVideoLength,
  tileVideo,
  type VideoDims,
  type VideoFrames,
  type VideoLayout,
  videoDims,
} from './videoFrames.js';

export type VideoFormat = 'gif' | 'webp' | 'mp4' | 'webm';
const FORMATS: readonly string[] = ['gif', 'webp', 'mp4', 'webm'];

export interface VideoOptions {
  /** [t, c, h, w] or [b, t, c, h, w] for raw bytes (in `layout` order); taken from a tensor. */
  shape?: number[];
  /** 'TCHW' (default, as wandb) or 'THWC'. */
  layout?: VideoLayout;
  /** Frames per second, > 0; default 4. */
  fps?: number;
  /** Default 'gif' (no ffmpeg needed); 'mp4' and 'webm' use ffmpeg. */
  format?: VideoFormat;
  caption?: string;
  /** Where to look for ffmpeg (FFMPEG_PATH, ffmpeg-static, @ffmpeg-installer/ffmpeg, PATH). */
  ffmpegSearch?: FfmpegSearch;
}

const VIDEO_FILES: Record<string, (head: Uint8Array) => boolean> = {
  gif: (h) => ascii(h, 0, 4) === 'GIF8',
  webp: (h) => ascii(h, 0, 4) === 'RIFF' && ascii(h, 8, 4) === 'WEBP',
  mp4: (h) => ascii(h, 4, 4) === 'ftyp',
  webm: (h) => h[0] === 0x1a && h[1] === 0x45 && h[2] === 0xdf && h[3] === 0xa3,
  ogg: (h) => ascii(h, 0, 4) === 'OggS',
};

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

type VideoSource =
  | { kind: 'frames'; frames: VideoFrames }
  | { kind: 'tensor'; tensor: TensorLike; original: TensorLike; dims: VideoDims; scale: PixelScale }
  | { kind: 'file'; path: string };

/**
 * A video from raw frames (bytes, or floats in [0, 1]) with their `shape`, a 4D/5D tfjs tensor, or a file.
 * A batch [b, t, c, h, w] is tiled into a grid as wandb does. GIF and WebP are encoded by sharp; MP4 (H.264,
 * yuv420p, faststart) and WebM (VP9) by ffmpeg, fed the raw frames on stdin.
 * @example
 * run.log({ rollout: new Video(frames, { shape: [64, 3, 84, 84], fps: 15, format: 'mp4' }) });
 */
export class Video extends Media {
  readonly mediaKind = 'video';
  readonly format: VideoFormat | 'ogg';
  readonly fps: number;
  readonly caption?: string;
  readonly #source: VideoSource;
  readonly #ffmpeg?: string;
  readonly #layout: VideoLayout = 'TCHW';

  constructor(data: Uint8Array | Float32Array | TensorLike | string, options: VideoOptions = {}) {
    super();
    const fps = options.fps ?? 4;
    if (typeof fps !== 'number' || !Number.isFinite(fps) || fps <= 0 || fps > 1000) {
      throw new MediaInvalidError(`Video: fps must be a number above 0 (at most 1000), got ${String(fps)}`);
    }
    this.fps = fps;
    if (options.caption !== undefined) this.caption = String(options.caption);
    const layout = options.layout ?? 'TCHW';
    if (layout !== 'TCHW' && layout !== 'THWC')
      throw new MediaInvalidError(`Video: layout must be 'TCHW' or 'THWC', got ${String(layout)}`);
    if (options.format !== undefined && !FORMATS.includes(options.format)) {
      throw new MediaInvalidError(
        `Video: format must be 'gif', 'webp', 'mp4' or 'webm', got ${String(options.format)}`,
      );
    }

    if (typeof data === 'string') {
      const file = openSourceFile(data, 'Video', 16);
      if (!VIDEO_FILES[file.ext]?.(file.head))
        throw new MediaInvalidError(`Video: ${data} is not a GIF, WebP, MP4, WebM or OGG video`);
      if (options.format !== undefined && options.format !== file.ext) {
        throw new MediaInvalidError(
          `Video: ${data} is ${file.ext}; files are logged as they are, not converted to ${options.format}`,
        );
      }
      this.format = file.ext as VideoFormat | 'ogg';
      this.#source = { kind: 'file', path: data };
      return;
    }
    this.format = options.format ?? 'gif';
    // Before anything is retained: a missing ffmpeg fails here, at the call that asked for MP4/WebM.
    if (this.format === 'mp4' || this.format === 'webm') this.#ffmpeg = resolveFfmpeg(options.ffmpegSearch);
    if (isTensorLike(data)) {
      const scale = pixelScaleOfDtype(data.dtype);
      if (!scale)
        throw new MediaInvalidError(`Video: a ${data.dtype} tensor cannot hold pixels; use float32, int32 or bool`);
      const dims = videoDims(data.shape, layout);
      this.#source = { kind: 'tensor', tensor: retainTensor(data), original: data, dims, scale };
    } else if (data instanceof Uint8Array || data instanceof Float32Array) {
      if (!options.shape) throw new MediaInvalidError('Video: raw frames need their shape: { shape: [t, c, h, w] }');
      const dims = videoDims(options.shape, layout);
      checkVideoLength(data.length, dims, options.shape);
      const bytes = toPixelBytes(data, pixelScaleOf(data), 'Video');
      this.#source = { kind: 'frames', frames: tileVideo(bytes, dims, layout) };
    } else {
      throw new MediaInvalidError(
        'Video: expected raw frames (Uint8Array, Float32Array) with a shape, a tfjs tensor or a file path',
      );
    }
    this.#layout = layout;
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    const source = this.#source;
    if (source.kind === 'file') {
      const file = await context.writeMediaFile('video', this.format, new Uint8Array(await readFile(source.path)));
      return this.#ref({ _type: 'video-file', ...file, format: this.format });
    }
    let frames: VideoFrames;
    if (source.kind === 'tensor') {
      const values = await readTensor(source.tensor);
      releaseTensor(source.tensor, source.original);
      frames = tileVideo(toPixelBytes(values, source.scale, 'Video'), source.dims, this.#layout);
    } else {
      frames = source.frames;
    }
    let bytes: Uint8Array;
    try {
      bytes =
        this.format === 'gif' || this.format === 'webp'
          ? await encodeAnimation(frames, this.format, this.fps)
          : await encodeWithFfmpeg(this.#ffmpeg!, frames, this.fps, this.format as 'mp4' | 'webm');
    } catch (error) {
      if (error instanceof RunlogError) throw error;
      throw new MediaEncodeError(`Video: encoding ${this.format} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const file = await context.writeMediaFile('video', this.format, bytes);
    // ffmpeg pads odd sizes to even ones for yuv420p.
    const even = (n: number) => (this.format === 'mp4' || this.format === 'webm' ? n + (n % 2) : n);
    return this.#ref({
      _type: 'video-file',
      ...file,
      format: this.format,
      width: even(frames.width),
      height: even(frames.height),
      frames: frames.frames,
      fps: this.fps,
    });
  }

  #ref(ref: MediaRef): MediaRef {
    if (this.caption !== undefined) ref.caption = this.caption;
    return ref;
  }
}
