/// <reference lib="dom" />
import {
  InvalidValueError,
  MEDIA_VALUE,
  type MediaRef,
  type MediaValue,
  type MediaWriteContext,
} from '@runlog/core/browser';

/** A tfjs tensor of an image: [height, width] or [height, width, 1 | 3 | 4], values 0-255 (int) or 0-1 (float). */
export interface ImageTensor {
  shape: number[];
  dtype: string;
  dataSync(): ArrayLike<number>;
}

export type ImageSource = HTMLCanvasElement | OffscreenCanvas | ImageBitmap | ImageData | ImageTensor;

export interface ImageOptions {
  caption?: string;
}

/**
 * An image logged from a web page: a canvas, ImageData, an ImageBitmap or a tensor, copied when constructed (the
 * canvas may be drawn on again) and encoded as PNG in the browser when logged (OffscreenCanvas.convertToBlob, or a
 * canvas's toBlob). In history it is the same `image-file` reference a Node run writes.
 * @example
 * run.log({ samples: new Image(canvas, { caption: 'epoch 3' }) });
 */
export class Image implements MediaValue {
  readonly [MEDIA_VALUE] = true as const;
  readonly mediaKind = 'image';
  readonly width: number;
  readonly height: number;
  private readonly pixels: ImageData;
  private readonly caption?: string;

  constructor(source: ImageSource, options: ImageOptions = {}) {
    this.pixels = snapshot(source);
    this.width = this.pixels.width;
    this.height = this.pixels.height;
    this.caption = options.caption;
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    const bytes = await encodePng(this.pixels);
    const file = await context.writeMediaFile('image', 'png', bytes);
    const ref: MediaRef = {
      _type: 'image-file',
      path: file.path,
      sha256: file.sha256,
      size: file.size,
      format: 'png',
      width: this.width,
      height: this.height,
    };
    if (this.caption !== undefined) ref.caption = this.caption;
    return ref;
  }
}

function snapshot(source: ImageSource): ImageData {
  if (typeof ImageData !== 'undefined' && source instanceof ImageData) {
    return new ImageData(new Uint8ClampedArray(source.data), source.width, source.height);
  }
  if (isTensor(source)) return tensorPixels(source);
  const drawable = source as HTMLCanvasElement | OffscreenCanvas | ImageBitmap;
  const { width, height } = drawable;
  if (!(width > 0 && height > 0)) throw new InvalidValueError('Image: the source has no pixels (width or height is 0)');
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new InvalidValueError('Image: this browser gives no 2d canvas context');
  context.drawImage(drawable, 0, 0);
  return context.getImageData(0, 0, width, height);
}

function isTensor(source: unknown): source is ImageTensor {
  return Array.isArray((source as ImageTensor).shape) && typeof (source as ImageTensor).dataSync === 'function';
}

function tensorPixels(tensor: ImageTensor): ImageData {
  const [height, width, channels = 1] = tensor.shape;
  if (
    tensor.shape.length < 2 ||
    tensor.shape.length > 3 ||
    ![1, 3, 4].includes(channels) ||
    !(height > 0 && width > 0)
  ) {
    throw new InvalidValueError(
      `Image: a tensor must be [height, width] or [height, width, 1|3|4], got [${tensor.shape}]`,
    );
  }
  const values = tensor.dataSync();
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const scale = tensor.dtype.startsWith('float') && max <= 1 ? 255 : 1;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const at = p * channels;
    const r = values[at] * scale;
    rgba[p * 4] = r;
    rgba[p * 4 + 1] = channels >= 3 ? values[at + 1] * scale : r;
    rgba[p * 4 + 2] = channels >= 3 ? values[at + 2] * scale : r;
    rgba[p * 4 + 3] = channels === 4 ? values[at + 3] * scale : 255;
  }
  return new ImageData(rgba, width, height);
}

/** PNG bytes of the pixels, encoded by the browser. */
async function encodePng(pixels: ImageData): Promise<Uint8Array> {
  let blob: Blob | null;
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(pixels.width, pixels.height);
    canvas.getContext('2d')?.putImageData(pixels, 0, 0);
    blob = await canvas.convertToBlob({ type: 'image/png' });
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = pixels.width;
    canvas.height = pixels.height;
    canvas.getContext('2d')?.putImageData(pixels, 0, 0);
    blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  }
  if (!blob) throw new InvalidValueError('Image: the browser could not encode the image as PNG', 'MEDIA_ENCODE');
  return new Uint8Array(await blob.arrayBuffer());
}
