import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Image, MediaInvalidError } from '@runlog/media';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaTestContext } from './helpers/mediaTestContext.js';

const context = new MediaTestContext('samples', 3);
afterAll(() => context.dispose());
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gradient(width: number, height: number, channels: number): Uint8Array {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = (x * 7 + y * 13 + c * 50) % 256;
  return data;
}

async function decoded(path: string, gray = false) {
  const file = context.resolve(path);
  expect((await sharp(file).metadata()).channels).toBe(gray ? 1 : 3);
  const pipeline = gray ? sharp(file).extractChannel(0) : sharp(file);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), info };
}

describe('Image', () => {
  it('writes raw HWC pixels as a PNG that decodes to the same pixels', async () => {
    const pixels = gradient(20, 10, 3);
    const ref = await new Image(pixels, { width: 20, height: 10, channels: 3, caption: 'grad' }).toMediaRef(context);
    expect(ref).toMatchObject({ _type: 'image-file', format: 'png', width: 20, height: 10, caption: 'grad' });
    expect(ref.path).toMatch(/^media\/image\/samples_3_[0-9a-f]{20}\.png$/);
    const bytes = readFileSync(context.resolve(ref.path as string));
    expect(ref.size).toBe(bytes.length);
    const { data, info } = await decoded(ref.path as string);
    expect([info.width, info.height, info.channels]).toEqual([20, 10, 3]);
    expect(data).toEqual(pixels);
  });

  it('reads CHW layouts and Float32 in [0, 1]', async () => {
    const hwc = gradient(4, 3, 3);
    const chw = new Float32Array(hwc.length);
    for (let c = 0; c < 3; c++) for (let p = 0; p < 12; p++) chw[c * 12 + p] = hwc[p * 3 + c] / 255;
    const ref = await new Image(chw, { width: 4, height: 3, channels: 3, layout: 'CHW' }).toMediaRef(context);
    expect((await decoded(ref.path as string)).data).toEqual(hwc);
  });

  it('reads tfjs tensors of any dtype (HWC, CHW, 2D) and survives the caller disposing them', async () => {
    const hwc = gradient(6, 5, 3);
    const floatTensor = tf.tensor3d(
      Float32Array.from(hwc, (v) => v / 255),
      [5, 6, 3],
    );
    const image = new Image(floatTensor);
    floatTensor.dispose();
    const ref = await image.toMediaRef(context);
    expect(ref).toMatchObject({ width: 6, height: 5 });
    expect((await decoded(ref.path as string)).data).toEqual(hwc);

    const chw = tf.tidy(() => tf.tensor3d(Int32Array.from(hwc), [5, 6, 3], 'int32').transpose([2, 0, 1]));
    const chwRef = await new Image(chw).toMediaRef(context);
    expect((await decoded(chwRef.path as string)).data).toEqual(hwc);
    chw.dispose();

    const mask = tf.tensor2d([1, 0, 0, 1], [2, 2], 'bool');
    const maskRef = await new Image(mask).toMediaRef(context);
    expect(Array.from((await decoded(maskRef.path as string, true)).data)).toEqual([255, 0, 0, 255]);
    mask.dispose();
  });

  it('encodes jpeg and webp with quality, and converts modes', async () => {
    const pixels = gradient(32, 32, 3);
    for (const format of ['jpeg', 'webp'] as const) {
      const ref = await new Image(pixels, { width: 32, height: 32, format, quality: 80 }).toMediaRef(context);
      expect(ref.path).toMatch(new RegExp(`\\.${format}$`));
      const meta = await sharp(context.resolve(ref.path as string)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([format, 32, 32]);
    }
    const gray = await new Image(pixels, { width: 32, height: 32, mode: 'L' }).toMediaRef(context);
    expect((await sharp(context.resolve(gray.path as string)).metadata()).channels).toBe(1);
    const rgba = await new Image(pixels, { width: 32, height: 32, mode: 'RGBA' }).toMediaRef(context);
    expect((await sharp(context.resolve(rgba.path as string)).metadata()).channels).toBe(4);
  });

  it('passes encoded bytes and files through untouched, and reads sharp instances', async () => {
    const png = await sharp(gradient(8, 8, 3), { raw: { width: 8, height: 8, channels: 3 } })
      .png()
      .toBuffer();
    const ref = await new Image(png).toMediaRef(context);
    expect(readFileSync(context.resolve(ref.path as string))).toEqual(png);
    expect(ref).toMatchObject({ width: 8, height: 8, format: 'png' });

    const jpegPath = join(context.runDir, 'input.jpg');
    writeFileSync(jpegPath, await sharp(png).jpeg().toBuffer());
    const fileRef = await new Image(jpegPath).toMediaRef(context);
    expect(fileRef).toMatchObject({ format: 'jpeg', width: 8, height: 8 });
    expect(readFileSync(context.resolve(fileRef.path as string))).toEqual(readFileSync(jpegPath));
    const converted = await new Image(jpegPath, { format: 'png' }).toMediaRef(context);
    expect((await sharp(context.resolve(converted.path as string)).metadata()).format).toBe('png');

    const pipeline = sharp(png).resize(4, 4);
    const sharpRef = await new Image(pipeline, { format: 'webp' }).toMediaRef(context);
    expect(sharpRef).toMatchObject({ width: 4, height: 4, format: 'webp' });
  });

  it('writes masks as their own PNGs of class ids and keeps boxes inline', async () => {
    const maskData = [
      [0, 0, 1, 1],
      [0, 2, 2, 1],
    ];
    const ref = await new Image(gradient(4, 2, 3), {
      width: 4,
      height: 2,
      classes: { 0: 'background', 1: 'cat', 2: 'dog' },
      masks: { predictions: { maskData } },
      boxes: {
        truth: {
          boxData: [
            {
              position: { minX: 0.1, maxX: 0.5, minY: 0, maxY: 1 },
              classId: 1,
              boxCaption: 'cat',
              scores: { iou: 0.7 },
            },
            { position: { middle: [2, 1], width: 2, height: 1 }, domain: 'pixel', classId: 2 },
          ],
        },
      },
    }).toMediaRef(context);
    const masks = ref.masks as Record<string, { path: string; classLabels: Record<string, string> }>;
    expect(masks.predictions.path).toMatch(/^media\/mask\/samples_3_[0-9a-f]{20}\.png$/);
    expect(masks.predictions.classLabels).toEqual({ 0: 'background', 1: 'cat', 2: 'dog' });
    const { data } = await decoded(masks.predictions.path, true);
    expect(Array.from(data)).toEqual(maskData.flat());
    expect(ref.boxes).toMatchObject({
      truth: {
        boxData: [
          {
            position: { minX: 0.1, maxX: 0.5, minY: 0, maxY: 1 },
            domain: 'fraction',
            classId: 1,
            boxCaption: 'cat',
            scores: { iou: 0.7 },
          },
          { position: { middle: [2, 1], width: 2, height: 1 }, domain: 'pixel', classId: 2 },
        ],
        classLabels: { 0: 'background', 1: 'cat', 2: 'dog' },
      },
    });
  });

  describe('bad input fails at construction with MEDIA_INVALID', () => {
    const cases: [string, () => unknown][] = [
      ['wrong buffer length', () => new Image(new Uint8Array(10), { width: 2, height: 2, channels: 3 })],
      ['unsupported channel count', () => new Image(new Uint8Array(20), { width: 2, height: 2, channels: 5 })],
      ['NaN pixels', () => new Image(new Float32Array([0, Number.NaN, 0, 0]), { width: 2, height: 2, channels: 1 })],
      ['floats outside [0, 1]', () => new Image(new Float32Array([0, 2, 0, 0]), { width: 2, height: 2 })],
      ['zero width', () => new Image(new Uint8Array(0), { width: 0, height: 2 })],
      ['a non-image buffer', () => new Image(new Uint8Array([1, 2, 3, 4, 5]))],
      ['a non-image file', () => new Image(__filename)],
      ['a missing file', () => new Image('/nonexistent/picture.png')],
      ['a 4D tensor', () => new Image(tf.zeros([1, 2, 2, 3]))],
      ['a string tensor', () => new Image(tf.tensor1d(['a']))],
      ['an unknown format', () => new Image(gradient(2, 2, 3), { width: 2, height: 2, format: 'bmp' as 'png' })],
      ['a quality of 0', () => new Image(gradient(2, 2, 3), { width: 2, height: 2, format: 'jpeg', quality: 0 })],
      [
        'a mask label outside the class list',
        () =>
          new Image(gradient(2, 1, 3), {
            width: 2,
            height: 1,
            masks: { m: { maskData: [0, 3], classLabels: { 0: 'a', 1: 'b' } } },
          }),
      ],
      [
        'a mask of the wrong size',
        () =>
          new Image(gradient(2, 1, 3), {
            width: 2,
            height: 1,
            masks: { m: { maskData: [0, 1, 1], classLabels: { 0: 'a', 1: 'b' } } },
          }),
      ],
      [
        'a box label outside the class list',
        () =>
          new Image(gradient(2, 1, 3), {
            width: 2,
            height: 1,
            boxes: {
              b: {
                boxData: [{ position: { minX: 0, maxX: 1, minY: 0, maxY: 1 }, classId: 9 }],
                classLabels: { 0: 'a' },
              },
            },
          }),
      ],
      [
        'a box with min > max',
        () =>
          new Image(gradient(2, 1, 3), {
            width: 2,
            height: 1,
            boxes: {
              b: {
                boxData: [{ position: { minX: 1, maxX: 0, minY: 0, maxY: 1 }, classId: 0 }],
                classLabels: { 0: 'a' },
              },
            },
          }),
      ],
    ];
    for (const [name, make] of cases) {
      it(name, () => {
        let error: unknown;
        try {
          make();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(MediaInvalidError);
        expect((error as MediaInvalidError).code).toBe('MEDIA_INVALID');
      });
    }
  });

  it('keeps no tensor alive when the constructor refuses the image', () => {
    const tensor = tf.zeros([2, 2, 3]);
    const before = tf.memory().numTensors;
    expect(() => new Image(tensor, { masks: { m: { maskData: [0, 7, 0, 0], classLabels: { 0: 'a' } } } })).toThrow(
      MediaInvalidError,
    );
    expect(tf.memory().numTensors).toBe(before);
    tensor.dispose();
  });

  it('reports NaN in a tensor when encoding (the value is only read in the background)', async () => {
    const tensor = tf.tensor2d([0, Number.NaN, 0, 1], [2, 2]);
    await expect(new Image(tensor).toMediaRef(context)).rejects.toMatchObject({ code: 'MEDIA_INVALID' });
    tensor.dispose();
  });
});
