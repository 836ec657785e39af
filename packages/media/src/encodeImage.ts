import { readFile } from 'node:fs/promises';
import { RunlogError } from '@runlog/core';
import sharp, { type Sharp } from 'sharp';
import { sharpSlots } from './encodeSlots.js';
import { MediaEncodeError } from './errors/mediaEncodeError.js';
import type { EncodedImageFormat } from './imageHeader.js';
import { type ImageSource, tensorPixels } from './imageSource.js';
import type { RawImage } from './rawImage.js';
import { readTensor, releaseTensor } from './tensorLike.js';

/** Output colour modes, named as PIL (and wandb) name them. */
export type ImageMode = 'L' | 'LA' | 'RGB' | 'RGBA';
export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface EncodeImageOptions {
  /** The format to write; undefined keeps an encoded input's format (PNG for pixels). */
  format?: ImageFormat;
  quality?: number;
  mode?: ImageMode;
}

export interface EncodedImage {
  bytes: Uint8Array;
  format: EncodedImageFormat;
  width: number;
  height: number;
}

/** Encodes an image source; encoded inputs already in the wanted format are passed through untouched. */
export async function encodeImage(source: ImageSource, options: EncodeImageOptions): Promise<EncodedImage> {
  try {
    switch (source.kind) {
      case 'raw':
        return await encodePipeline(rawPipeline(source.image), options.format ?? 'png', options);
      case 'tensor': {
        const values = await readTensor(source.tensor);
        releaseTensor(source.tensor, source.original);
        return await encodePipeline(rawPipeline(tensorPixels(values, source.dims)), options.format ?? 'png', options);
      }
      case 'encoded':
      case 'file': {
        const bytes = source.kind === 'encoded' ? source.bytes : new Uint8Array(await readFile(source.file.path));
        const { header } = source;
        const keep =
          (options.format ?? header.format) === header.format && !options.mode && options.quality === undefined;
        if (keep && header.width && header.height)
          return { bytes, format: header.format, width: header.width, height: header.height };
        const format = options.format ?? (header.format === 'gif' ? 'png' : header.format);
        return await encodePipeline(sharp(bytes), format, options);
      }
      case 'sharp':
        return await encodePipeline(source.pipeline.clone(), options.format ?? 'png', options);
    }
  } catch (error) {
    if (error instanceof RunlogError) throw error;
    throw new MediaEncodeError(`Image: encoding failed: ${(error as Error).message}`, { cause: error });
  }
}

export function rawPipeline(image: RawImage): Sharp {
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  // sharp writes 1- and 2-channel raw input as sRGB unless told the pixels are gray.
  return image.channels <= 2 ? pipeline.toColourspace('b-w') : pipeline;
}

async function encodePipeline(
  pipeline: Sharp,
  format: ImageFormat,
  options: EncodeImageOptions,
): Promise<EncodedImage> {
  if (options.mode === 'L' || options.mode === 'LA') pipeline = pipeline.toColourspace('b-w');
  if (options.mode === 'L' || options.mode === 'RGB') pipeline = pipeline.removeAlpha();
  if (options.mode === 'LA' || options.mode === 'RGBA') pipeline = pipeline.ensureAlpha();
  const quality = options.quality;
  if (format === 'jpeg') pipeline = pipeline.jpeg(quality === undefined ? {} : { quality });
  else if (format === 'webp') pipeline = pipeline.webp(quality === undefined ? {} : { quality });
  else pipeline = pipeline.png();
  const { data, info } = await sharpSlots.run(() => pipeline.toBuffer({ resolveWithObject: true }));
  return {
    bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    format,
    width: info.width,
    height: info.height,
  };
}
