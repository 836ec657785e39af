import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DependencyMissingError, MediaInvalidError, resolveFfmpeg, Video } from '@runlog/media';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaTestContext } from './helpers/mediaTestContext.js';
import { mp4TopLevelBoxes, probeVideo } from './helpers/probeVideo.js';

const context = new MediaTestContext('rollout', 5);
const ffmpeg = resolveFfmpeg();
afterAll(() => context.dispose());
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** [t, c, h, w] frames where frame t is filled with the value 10 * t in every channel. */
function frames(t: number, c: number, h: number, w: number): Uint8Array {
  const data = new Uint8Array(t * c * h * w);
  for (let i = 0; i < t; i++) data.fill(10 * i, i * c * h * w, (i + 1) * c * h * w);
  return data;
}

describe('Video', () => {
  it('writes an animated GIF through sharp: one page per frame, the delay from fps', async () => {
    const ref = await new Video(frames(6, 3, 8, 10), { shape: [6, 3, 8, 10], fps: 5, caption: 'gif' }).toMediaRef(
      context,
    );
    expect(ref).toMatchObject({
      _type: 'video-file',
      format: 'gif',
      width: 10,
      height: 8,
      frames: 6,
      fps: 5,
      caption: 'gif',
    });
    expect(ref.path).toMatch(/^media\/video\/rollout_5_[0-9a-f]{20}\.gif$/);
    const meta = await sharp(context.resolve(ref.path as string), { animated: true }).metadata();
    expect([meta.format, meta.pages, meta.pageHeight, meta.width]).toEqual(['gif', 6, 8, 10]);
    expect(meta.delay).toEqual(new Array(6).fill(200));
  });

  it('writes an animated WebP from THWC float frames', async () => {
    const data = new Float32Array(4 * 6 * 6 * 3);
    for (let t = 0; t < 4; t++) data.fill(t / 4, t * 108, (t + 1) * 108); // distinct frames (WebP merges equal ones)
    const ref = await new Video(data, { shape: [4, 6, 6, 3], layout: 'THWC', fps: 10, format: 'webp' }).toMediaRef(
      context,
    );
    const meta = await sharp(context.resolve(ref.path as string), { animated: true }).metadata();
    expect([meta.format, meta.pages, meta.pageHeight]).toEqual(['webp', 4, 6]);
    expect(meta.delay).toEqual(new Array(4).fill(100));
  });

  it('writes MP4 (H.264, yuv420p, faststart) through ffmpeg with the right duration and frame count', async () => {
    const ref = await new Video(frames(8, 3, 16, 16), { shape: [8, 3, 16, 16], fps: 4, format: 'mp4' }).toMediaRef(
      context,
    );
    const path = context.resolve(ref.path as string);
    const probe = probeVideo(ffmpeg, path);
    expect(probe).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 16, height: 16, frames: 8 });
    expect(probe.durationSeconds).toBeCloseTo(2, 1);
    const boxes = mp4TopLevelBoxes(path);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  });

  it('keeps colours through ffmpeg: channels-first planes (fed as planar GBR) and channels-last frames', async () => {
    const [r, g, b] = [200, 40, 90];
    const tchw = new Uint8Array(2 * 3 * 16 * 16);
    for (let t = 0; t < 2; t++) {
      for (const [c, v] of [r, g, b].entries()) tchw.fill(v, (t * 3 + c) * 256, (t * 3 + c + 1) * 256);
    }
    const thwc = new Uint8Array(2 * 16 * 16 * 3).map((_, i) => [r, g, b][i % 3]);
    for (const [data, layout] of [
      [tchw, 'TCHW'],
      [thwc, 'THWC'],
    ] as const) {
      for (const format of ['mp4', 'webm'] as const) {
        const shape = layout === 'TCHW' ? [2, 3, 16, 16] : [2, 16, 16, 3];
        const ref = await new Video(data, { shape, layout, format }).toMediaRef(context);
        const decoded = spawnSync(ffmpeg, [
          '-v',
          'error',
          '-i',
          context.resolve(ref.path as string),
          '-frames:v',
          '1',
          '-f',
          'rawvideo',
          '-pix_fmt',
          'rgb24',
          'pipe:1',
        ]).stdout;
        const center = (8 * 16 + 8) * 3;
        const pixel = Array.from(decoded.subarray(center, center + 3));
        for (const [c, value] of pixel.entries()) {
          expect(Math.abs(value - [r, g, b][c]), `${layout} ${format} channel ${c}`).toBeLessThanOrEqual(8);
        }
      }
    }
  });

  it('writes WebM (VP9) and pads odd sizes for yuv420p', async () => {
    const ref = await new Video(frames(5, 1, 9, 11), { shape: [5, 1, 9, 11], fps: 5, format: 'webm' }).toMediaRef(
      context,
    );
    expect(ref).toMatchObject({ width: 12, height: 10 });
    const probe = probeVideo(ffmpeg, context.resolve(ref.path as string));
    expect(probe).toMatchObject({ codec: 'vp9', width: 12, height: 10, frames: 5 });
    expect(probe.durationSeconds).toBeCloseTo(1, 1);
  });

  it('tiles a batch into a grid as wandb does (3 videos -> padded to 4, 1 row x 4 columns)', async () => {
    const [b, t, c, h, w] = [3, 2, 3, 4, 5];
    const data = new Uint8Array(b * t * c * h * w);
    for (let v = 0; v < b; v++) data.fill(60 * (v + 1), v * t * c * h * w, (v + 1) * t * c * h * w);
    const ref = await new Video(data, { shape: [b, t, c, h, w], format: 'gif' }).toMediaRef(context);
    expect(ref).toMatchObject({ width: 20, height: 4, frames: 2 });
    const { data: first, info } = await sharp(context.resolve(ref.path as string))
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Row 0 of frame 0: 5 pixels of each video, then 5 black pixels of padding.
    const reds = Array.from({ length: 20 }, (_, x) => first[x * info.channels]);
    expect(reds.slice(0, 15)).toEqual([...new Array(5).fill(60), ...new Array(5).fill(120), ...new Array(5).fill(180)]);
    expect(reds.slice(15)).toEqual(new Array(5).fill(0));

    const four = await new Video(new Uint8Array(4 * 1 * 1 * 2 * 2), { shape: [4, 1, 1, 2, 2] }).toMediaRef(context);
    expect(four).toMatchObject({ width: 4, height: 4 }); // 2 x 2 grid
  });

  it('interleaves channels-first frames into pixels', async () => {
    // [t=2, c=3, h=2, w=2]: channel c of frame t is filled with 40 * (c + 1) + 100 * t
    const data = new Uint8Array(2 * 3 * 4);
    for (let t = 0; t < 2; t++)
      for (let c = 0; c < 3; c++) data.fill(40 * (c + 1) + 100 * t, (t * 3 + c) * 4, (t * 3 + c + 1) * 4);
    const ref = await new Video(data, { shape: [2, 3, 2, 2], format: 'gif' }).toMediaRef(context);
    const { data: pixels, info } = await sharp(context.resolve(ref.path as string), { animated: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixel = (frame: number) =>
      Array.from(pixels.subarray(frame * 4 * info.channels, frame * 4 * info.channels + 3));
    expect(pixel(0)).toEqual([40, 80, 120]);
    expect(pixel(1)).toEqual([140, 180, 220]);
  });

  it('takes its shape from a 4D or 5D tfjs tensor', async () => {
    const tensor = tf.zeros([3, 5, 7, 3]); // [t, h, w, c]
    const video = new Video(tensor, { layout: 'THWC', format: 'gif' });
    tensor.dispose();
    expect(await video.toMediaRef(context)).toMatchObject({ width: 7, height: 5, frames: 3 });
    const batch = tf.fill([2, 3, 1, 4, 6], 200, 'int32'); // [b, t, c, h, w], two videos side by side
    expect(await new Video(batch, { format: 'gif' }).toMediaRef(context)).toMatchObject({
      width: 12,
      height: 4,
      frames: 3,
    });
    batch.dispose();
  });

  it('passes video files through', async () => {
    const gif = await sharp(Buffer.from(frames(2, 3, 2, 2)), {
      raw: { width: 2, height: 4, channels: 3, pageHeight: 2 },
    })
      .gif()
      .toBuffer();
    const path = join(context.runDir, 'clip.gif');
    writeFileSync(path, gif);
    const ref = await new Video(path).toMediaRef(context);
    expect(ref).toMatchObject({ format: 'gif' });
    expect(readFileSync(context.resolve(ref.path as string))).toEqual(gif);
  });

  it('names all four places it looked when ffmpeg is missing, at construction', () => {
    const search = {
      env: { FFMPEG_PATH: '/nowhere/ffmpeg', PATH: '/nowhere/bin' },
      ffmpegStatic: () => '/nowhere/static/ffmpeg',
      ffmpegInstaller: () => undefined,
    };
    let error: unknown;
    try {
      new Video(frames(1, 3, 2, 2), { shape: [1, 3, 2, 2], format: 'mp4', ffmpegSearch: search });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DependencyMissingError);
    const message = (error as Error).message;
    expect((error as DependencyMissingError).code).toBe('DEPENDENCY_MISSING');
    for (const place of [
      'FFMPEG_PATH',
      '/nowhere/ffmpeg',
      'ffmpeg-static',
      '/nowhere/static/ffmpeg',
      '@ffmpeg-installer/ffmpeg',
      'PATH',
    ]) {
      expect(message).toContain(place);
    }
    // GIF needs no ffmpeg
    expect(
      () => new Video(frames(1, 3, 2, 2), { shape: [1, 3, 2, 2], format: 'gif', ffmpegSearch: search }),
    ).not.toThrow();
  });

  it('finds ffmpeg through FFMPEG_PATH first', () => {
    const search = {
      env: { FFMPEG_PATH: ffmpeg, PATH: '' },
      ffmpegStatic: () => undefined,
      ffmpegInstaller: () => undefined,
    };
    expect(resolveFfmpeg(search)).toBe(ffmpeg);
  });

  describe('bad input fails at construction with MEDIA_INVALID', () => {
    const cases: [string, () => unknown][] = [
      ['wrong buffer length', () => new Video(new Uint8Array(10), { shape: [2, 3, 2, 2] })],
      ['unsupported channel count', () => new Video(new Uint8Array(2 * 2 * 2 * 2), { shape: [2, 2, 2, 2] })],
      ['empty frames', () => new Video(new Uint8Array(0), { shape: [0, 3, 2, 2] })],
      ['zero fps', () => new Video(new Uint8Array(12), { shape: [1, 3, 2, 2], fps: 0 })],
      ['NaN pixels', () => new Video(new Float32Array(12).fill(Number.NaN), { shape: [1, 3, 2, 2] })],
      ['no shape', () => new Video(new Uint8Array(12))],
      ['a 3D shape', () => new Video(new Uint8Array(12), { shape: [3, 2, 2] })],
      ['an unknown format', () => new Video(new Uint8Array(12), { shape: [1, 3, 2, 2], format: 'avi' as 'gif' })],
      ['a non-video file', () => new Video(__filename)],
    ];
    for (const [name, make] of cases) {
      it(name, () => {
        expect(make).toThrow(MediaInvalidError);
      });
    }
  });
});
