import { readFile } from 'node:fs/promises';
import type { MediaRef, MediaWriteContext } from '@runlog/core';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { Media } from './media.js';
import { openSourceFile } from './sourceFile.js';
import { encodeWav } from './wavEncoder.js';

export interface AudioOptions {
  /** Samples per second (per channel); required for samples. */
  sampleRate?: number;
  /** Interleaved channels in the samples; default 1. */
  channels?: number;
  caption?: string;
}

const AUDIO_FILES: Record<string, (head: Uint8Array) => boolean> = {
  wav: (h) => ascii(h, 0, 4) === 'RIFF' && ascii(h, 8, 4) === 'WAVE',
  mp3: (h) => ascii(h, 0, 3) === 'ID3' || (h[0] === 0xff && (h[1] & 0xe0) === 0xe0),
  ogg: (h) => ascii(h, 0, 4) === 'OggS',
  flac: (h) => ascii(h, 0, 4) === 'fLaC',
};

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/**
 * Audio from samples (Float32Array in [-1, 1] or Int16Array; mono or interleaved channels), written as a 16-bit
 * WAV; or a WAV, MP3, OGG or FLAC file passed through.
 * @example
 * run.log({ speech: new Audio(samples, { sampleRate: 16000, caption: 'generated' }) });
 */
export class Audio extends Media {
  readonly mediaKind = 'audio';
  readonly caption?: string;
  readonly sampleRate?: number;
  readonly channels: number;
  readonly #samples?: Int16Array | Float32Array | Float64Array;
  readonly #file?: { path: string; ext: string };

  constructor(data: Float32Array | Float64Array | Int16Array | string, options: AudioOptions = {}) {
    super();
    if (options.caption !== undefined) this.caption = String(options.caption);
    this.channels = options.channels ?? 1;
    if (typeof data === 'string') {
      const file = openSourceFile(data, 'Audio', 16);
      const matches = AUDIO_FILES[file.ext];
      if (!matches?.(file.head)) throw new MediaInvalidError(`Audio: ${data} is not a WAV, MP3, OGG or FLAC file`);
      this.#file = { path: data, ext: file.ext };
      return;
    }
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int16Array)) {
      throw new MediaInvalidError('Audio: expected a Float32Array, an Int16Array or a file path');
    }
    const { sampleRate } = options;
    const channels = this.channels;
    if (sampleRate === undefined || !Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 768_000) {
      throw new MediaInvalidError(`Audio: sampleRate must be an integer from 1 to 768000, got ${String(sampleRate)}`);
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > 64) {
      throw new MediaInvalidError(`Audio: channels must be an integer from 1 to 64, got ${channels}`);
    }
    if (data.length === 0) throw new MediaInvalidError('Audio: no samples');
    if (data.length % channels !== 0) {
      throw new MediaInvalidError(
        `Audio: ${data.length} samples cannot be split into ${channels} interleaved channels`,
      );
    }
    if (!(data instanceof Int16Array)) {
      const bad = data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new MediaInvalidError(`Audio: sample ${bad} is ${data[bad]}; samples must be finite`);
    }
    this.sampleRate = sampleRate;
    this.#samples = data.slice();
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    let ref: MediaRef;
    if (this.#file) {
      const file = await context.writeMediaFile(
        'audio',
        this.#file.ext,
        new Uint8Array(await readFile(this.#file.path)),
      );
      ref = { _type: 'audio-file', ...file, format: this.#file.ext };
    } else {
      const samples = this.#samples!;
      const file = await context.writeMediaFile('audio', 'wav', encodeWav(samples, this.sampleRate!, this.channels));
      const frames = samples.length / this.channels;
      ref = {
        _type: 'audio-file',
        ...file,
        format: 'wav',
        sampleRate: this.sampleRate!,
        channels: this.channels,
        durationSeconds: frames / this.sampleRate!,
      };
    }
    if (this.caption !== undefined) ref.caption = this.caption;
    return ref;
  }
}
