import type { Sharp } from 'sharp';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { type ImageHeader, readImageHeader } from './imageHeader.js';
import { type PixelScale, pixelScaleOf, pixelScaleOfDtype, toPixelBytes } from './pixelBytes.js';
import {
  checkChannels,
  checkDimension,
  checkLength,
  chwToHwc,
  imageDims,
  type PixelLayout,
  type RawImage,
} from './rawImage.js';
import { isSharp } from './sharpLike.js';
import { openSourceFile, type SourceFile } from './sourceFile.js';
import { isTensorLike, retainTensor, type TensorLike, tensorSize } from './tensorLike.js';

/** Pixel arrays an Image accepts with `{ width, height, channels }`. */
export type PixelArray = Uint8Array | Uint8ClampedArray | Float32Array | Float64Array;

/** Everything `new Image(data)` accepts. */
export type ImageInput = PixelArray | TensorLike | string | Sharp;

/** How raw pixel arrays are laid out. */
export interface RawPixelOptions {
  width?: number;
  height?: number;
  /** 1, 2, 3 or 4; defaults to the value count divided by width x height. */
  channels?: number;
  layout?: PixelLayout;
}

/** An image input checked at construction, ready to be encoded later. */
export type ImageSource =
  | { kind: 'raw'; image: RawImage }
  | { kind: 'tensor'; tensor: TensorLike; original: TensorLike; dims: TensorImageDims }
  | { kind: 'encoded'; bytes: Uint8Array; header: ImageHeader }
  | { kind: 'file'; file: SourceFile; header: ImageHeader }
  | { kind: 'sharp'; pipeline: Sharp };

export interface TensorImageDims {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  layout: PixelLayout;
  scale: PixelScale;
}

const WHAT = 'Image';

/** Checks an image input; raw pixels are converted to bytes now, so NaN or out-of-range pixels fail here. */
export function imageSourceFrom(data: ImageInput, options: RawPixelOptions): ImageSource {
  if (typeof data === 'string') {
    const file = openSourceFile(data, WHAT);
    const header = readImageHeader(file.head);
    if (!header) throw new MediaInvalidError(`${WHAT}: ${data} is not a PNG, JPEG, WebP or GIF image`);
    return { kind: 'file', file, header };
  }
  if (isTensorLike(data)) return tensorSource(data, options.layout);
  if (isSharp(data)) return { kind: 'sharp', pipeline: data.clone() };
  if (ArrayBuffer.isView(data)) {
    const isBytes = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
    if (isBytes && options.width === undefined && options.height === undefined) {
      const header = readImageHeader(data);
      if (!header) {
        throw new MediaInvalidError(
          `${WHAT}: these bytes are not a PNG, JPEG, WebP or GIF image; pass { width, height, channels } for raw pixels`,
        );
      }
      return { kind: 'encoded', bytes: new Uint8Array(data), header };
    }
    if (isBytes || data instanceof Float32Array || data instanceof Float64Array) return rawSource(data, options);
  }
  throw new MediaInvalidError(
    `${WHAT}: unsupported input; pass raw pixels (Uint8Array, Float32Array), a tfjs tensor, encoded PNG/JPEG bytes, a file path or a sharp instance`,
  );
}

function rawSource(data: PixelArray, options: RawPixelOptions): ImageSource {
  const width = checkDimension(options.width, 'width', WHAT);
  const height = checkDimension(options.height, 'height', WHAT);
  const channels = checkChannels(options.channels ?? data.length / (width * height), WHAT);
  const layout = options.layout ?? 'HWC';
  const shapeText = layout === 'HWC' ? `${height}x${width}x${channels}` : `${channels}x${height}x${width}`;
  checkLength(data.length, width * height * channels, shapeText, WHAT);
  let bytes = toPixelBytes(data, pixelScaleOf(data), WHAT);
  if (layout === 'CHW') bytes = chwToHwc(bytes, channels, height, width);
  return { kind: 'raw', image: { data: bytes, width, height, channels } };
}

function tensorSource(tensor: TensorLike, layout: PixelLayout | undefined): ImageSource {
  const scale = pixelScaleOfDtype(tensor.dtype);
  if (!scale)
    throw new MediaInvalidError(`${WHAT}: a ${tensor.dtype} tensor cannot hold pixels; use float32, int32 or bool`);
  if (tensor.isDisposed) throw new MediaInvalidError(`${WHAT}: the tensor is already disposed`);
  const dims = imageDims(tensor.shape, layout, WHAT);
  checkLength(tensorSize(tensor.shape), dims.width * dims.height * dims.channels, `[${tensor.shape.join(', ')}]`, WHAT);
  return { kind: 'tensor', tensor: retainTensor(tensor), original: tensor, dims: { ...dims, scale } };
}

/** Pixels of a tensor image as height x width x channels bytes (downloaded without blocking the backend). */
export function tensorPixels(values: ArrayLike<number>, dims: TensorImageDims): RawImage {
  let bytes = toPixelBytes(values, dims.scale, WHAT);
  if (dims.layout === 'CHW') bytes = chwToHwc(bytes, dims.channels, dims.height, dims.width);
  return { data: bytes, width: dims.width, height: dims.height, channels: dims.channels };
}

/** The image size known without decoding, if any. */
export function knownSize(source: ImageSource): { width: number; height: number } | undefined {
  switch (source.kind) {
    case 'raw':
      return { width: source.image.width, height: source.image.height };
    case 'tensor':
      return { width: source.dims.width, height: source.dims.height };
    case 'encoded':
    case 'file': {
      const { width, height } = source.header;
      return width && height ? { width, height } : undefined;
    }
    default:
      return undefined;
  }
}
