import type { JsonObject, MediaRef, MediaWriteContext } from '@runlog/core';
import { type BoundingBoxGroup, checkBoxes } from './boundingBoxes.js';
import type { ClassLabels } from './classLabels.js';
import { type EncodeImageOptions, encodeImage, type ImageFormat, type ImageMode, rawPipeline } from './encodeImage.js';
import { sharpSlots } from './encodeSlots.js';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { type CheckedMask, checkMask, checkMaskSize, type ImageMask } from './imageMask.js';
import { type ImageInput, type ImageSource, imageSourceFrom, knownSize, type RawPixelOptions } from './imageSource.js';
import { Media } from './media.js';
import { releaseTensor } from './tensorLike.js';

export interface ImageOptions extends RawPixelOptions {
  caption?: string;
  /** Output colour mode (PIL names): 'L' gray, 'LA', 'RGB', 'RGBA'. Default: as the input. */
  mode?: ImageMode;
  /** Output format; default PNG, or the format of encoded input (passed through untouched). */
  format?: ImageFormat;
  /** JPEG/WebP quality, 1-100. */
  quality?: number;
  /** Segmentation masks by name, each written as its own PNG of class ids. */
  masks?: Record<string, ImageMask>;
  /** Bounding boxes by name, written inline in the reference. */
  boxes?: Record<string, BoundingBoxGroup>;
  /** Class labels shared by masks and boxes that do not give their own. */
  classes?: ClassLabels;
}

const FORMATS: readonly string[] = ['png', 'jpeg', 'webp'];
const MODES: readonly string[] = ['L', 'LA', 'RGB', 'RGBA'];

/**
 * An image. Raw pixels (`{ width, height, channels }`, HWC or CHW, bytes or floats in [0, 1]), a tfjs tensor
 * ([h, w], [h, w, c] or [c, h, w], any backend), encoded PNG/JPEG/WebP bytes, a file path or a sharp instance.
 * @example
 * run.log({ samples: new Image(pixels, { width: 28, height: 28, channels: 1, caption: 'digit 7' }) });
 * run.log({ gallery: batch.map((p) => new Image(p, { width: 32, height: 32 })) });
 */
export class Image extends Media {
  readonly mediaKind = 'image';
  readonly caption?: string;
  readonly #source: ImageSource;
  readonly #encode: EncodeImageOptions;
  readonly #masks: [string, CheckedMask][];
  readonly #boxes?: JsonObject;

  constructor(data: ImageInput, options: ImageOptions = {}) {
    super();
    if (options.format !== undefined && !FORMATS.includes(options.format)) {
      throw new MediaInvalidError(`Image: format must be 'png', 'jpeg' or 'webp', got ${String(options.format)}`);
    }
    if (options.mode !== undefined && !MODES.includes(options.mode)) {
      throw new MediaInvalidError(`Image: mode must be 'L', 'LA', 'RGB' or 'RGBA', got ${String(options.mode)}`);
    }
    const quality = options.quality;
    if (quality !== undefined && !(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
      throw new MediaInvalidError(`Image: quality must be an integer from 1 to 100, got ${quality}`);
    }
    if (options.caption !== undefined) this.caption = String(options.caption);
    this.#source = imageSourceFrom(data, options);
    this.#encode = { format: options.format, quality, mode: options.mode };
    try {
      const size = knownSize(this.#source);
      this.#masks = Object.entries(options.masks ?? {}).map(([name, mask]) => {
        const checked = checkMask(name, mask, options.classes);
        if (size) checkMaskSize(name, checked, size.width, size.height);
        return [name, checked];
      });
      if (options.boxes) {
        const boxes: JsonObject = {};
        for (const [name, group] of Object.entries(options.boxes))
          boxes[name] = checkBoxes(name, group, options.classes);
        this.#boxes = boxes;
      }
    } catch (error) {
      // Nothing will encode this image: let go of the tensor it kept.
      if (this.#source.kind === 'tensor') releaseTensor(this.#source.tensor, this.#source.original);
      throw error;
    }
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    const encoded = await encodeImage(this.#source, this.#encode);
    const file = await context.writeMediaFile('image', encoded.format, encoded.bytes);
    const ref: MediaRef = {
      _type: 'image-file',
      ...file,
      format: encoded.format,
      width: encoded.width,
      height: encoded.height,
    };
    if (this.caption !== undefined) ref.caption = this.caption;
    if (this.#masks.length > 0) {
      const masks: JsonObject = {};
      for (const [name, mask] of this.#masks)
        masks[name] = await writeMask(context, name, mask, encoded.width, encoded.height);
      ref.masks = masks;
    }
    if (this.#boxes) ref.boxes = this.#boxes;
    return ref;
  }
}

async function writeMask(
  context: MediaWriteContext,
  name: string,
  mask: CheckedMask,
  width: number,
  height: number,
): Promise<JsonObject> {
  checkMaskSize(name, mask, width, height);
  const png = await sharpSlots.run(() => rawPipeline({ data: mask.ids, width, height, channels: 1 }).png().toBuffer());
  const file = await context.writeMediaFile('mask', 'png', png);
  return { _type: 'mask-file', ...file, classLabels: mask.classLabels };
}
