/**
 * @runlog/media against the bare encoders it drives, interleaved in one process (issue 5 targets):
 * 1. 1,000 256x256 RGB images through `new Image` + run.log + run.flush (files written, hashed, referenced in
 *    history) vs sharp encoding the same pixels to PNG buffers, with the same concurrency: @runlog/media keeps
 *    at most 4 sharp encodes in flight (libuv's thread pool size), so the baseline runs 4 workers. Target >= 0.85x.
 * 2. An MP4 of 64 128x128 frames through `new Video` + run.log + flush (frames piped to ffmpeg's stdin) vs the same
 *    ffmpeg binary with the same arguments reading the same raw frames (the bytes the Video pipes) from a file.
 *    Target <= 1.2x the time.
 * `node --expose-gc --import tsx bench/media.bench.ts [images] [video] [histogram]` runs only the parts named.
 * 3. `new Histogram` of a 10,000,000-value Float32Array (core's computeHistogram): values per second, beside one
 *    plain summing pass over the same array for scale. Target >= 100 M values/s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { Histogram, Image, resolveFfmpeg, Video } from '@runlog/media';
import sharp from 'sharp';
import { interleave, median, printComparison, writeResults } from './lib/interleave.js';

const IMAGES = 1000;
const SIZE = 256;
const DISTINCT = 50;
const ENCODES_IN_FLIGHT = Math.max(2, Number(process.env.UV_THREADPOOL_SIZE) || 4);

/** Photo-like test pictures: smooth gradients, a few shapes and mild noise (not incompressible noise). */
function picture(seed: number): Uint8Array {
  const data = new Uint8Array(SIZE * SIZE * 3);
  let s = seed * 2654435761;
  const noise = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s >>> 24) % 12;
  };
  const cx = (seed * 37) % SIZE;
  const cy = (seed * 91) % SIZE;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = (y * SIZE + x) * 3;
      const inCircle = (x - cx) ** 2 + (y - cy) ** 2 < 40 ** 2;
      data[i] = (inCircle ? 220 : x) + noise();
      data[i + 1] = (inCircle ? 40 : y) + noise();
      data[i + 2] = ((x + y + seed * 10) >> 1) + noise();
    }
  }
  return data;
}

/** Process CPU time (all threads: JS, sharp, fs) per image of each repetition, less sensitive to other load. */
const cpuMsPerImage: Record<'logged' | 'sharp', number[]> = { logged: [], sharp: [] };
function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / IMAGES;
}

async function imageBench(store: string) {
  const pictures = Array.from({ length: DISTINCT }, (_, i) => picture(i + 1));
  const raw = { width: SIZE, height: SIZE, channels: 3 as const };
  return interleave(
    `${IMAGES} ${SIZE}x${SIZE} RGB images, ${ENCODES_IN_FLIGHT} encodes in flight`,
    [
      {
        name: 'Image + run.log + flush (images/s)',
        run: async () => {
          const run = await init({
            project: 'bench-media',
            dir: store,
            settings: { console: false, systemMetrics: false, quiet: true, processHooks: false },
          });
          const cpu = process.cpuUsage();
          const start = performance.now();
          for (let i = 0; i < IMAGES; i++) run.log({ sample: new Image(pictures[i % DISTINCT], raw) });
          await run.flush();
          const seconds = (performance.now() - start) / 1000;
          cpuMsPerImage.logged.push(cpuSince(cpu));
          await run.finish();
          rmSync(run.dir, { recursive: true, force: true });
          return IMAGES / seconds;
        },
      },
      {
        name: 'sharp raw -> PNG buffer (images/s)',
        run: async () => {
          const cpu = process.cpuUsage();
          const start = performance.now();
          let next = 0;
          const worker = async () => {
            while (next < IMAGES)
              await sharp(pictures[next++ % DISTINCT], { raw })
                .png()
                .toBuffer();
          };
          await Promise.all(Array.from({ length: ENCODES_IN_FLIGHT }, worker));
          const rate = IMAGES / ((performance.now() - start) / 1000);
          cpuMsPerImage.sharp.push(cpuSince(cpu));
          return rate;
        },
      },
    ],
    { repeats: 5, unit: 'images/s', higherIsBetter: true },
  );
}

async function videoBench(store: string) {
  const [t, c, h, w] = [64, 3, 128, 128];
  const tchw = new Uint8Array(t * c * h * w);
  for (let f = 0; f < t; f++)
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) tchw[(f * c + ch) * h * w + p] = ((p % w) + (p / w) * ch + f * 4) & 255;
  // The baseline's input: the very bytes the Video pipes to ffmpeg, planar G, B, R per frame (-pix_fmt gbrp),
  // so both sides ask ffmpeg for the same work and the ratio is runlog's overhead.
  const gbr = new Uint8Array(tchw.length);
  const plane = h * w;
  for (let f = 0; f < t; f++)
    for (const [k, ch] of [1, 2, 0].entries())
      gbr.set(tchw.subarray((f * c + ch) * plane, (f * c + ch + 1) * plane), (f * c + k) * plane);
  const scratch = mkdtempSync(join(tmpdir(), 'runlog-media-bench-'));
  const rawFile = join(scratch, 'frames.gbrp');
  writeFileSync(rawFile, gbr);
  const ffmpeg = resolveFfmpeg();
  const run = await init({
    project: 'bench-media',
    dir: store,
    settings: { console: false, systemMetrics: false, quiet: true, processHooks: false },
  });
  const comparison = await interleave(
    `MP4 (H.264) of ${t} ${w}x${h} frames`,
    [
      {
        name: 'Video + run.log + flush (s)',
        run: async () => {
          const start = performance.now();
          run.log({ rollout: new Video(tchw, { shape: [t, c, h, w], fps: 16, format: 'mp4' }) });
          await run.flush();
          return (performance.now() - start) / 1000;
        },
      },
      {
        name: 'ffmpeg on the raw frames file (s)',
        run: () => {
          const start = performance.now();
          const args = [
            '-hide_banner',
            '-loglevel',
            'error',
            '-nostdin',
            '-f',
            'rawvideo',
            '-pix_fmt',
            'gbrp',
            '-s',
            `${w}x${h}`,
            '-framerate',
            '16',
            '-i',
            rawFile,
            '-vf',
            'pad=ceil(iw/2)*2:ceil(ih/2)*2',
            '-c:v',
            'libx264',
            '-preset',
            'fast',
            '-pix_fmt',
            'yuv420p',
            '-movflags',
            '+faststart',
            '-f',
            'mp4',
            '-y',
            join(scratch, 'out.mp4'),
          ];
          const result = spawnSync(ffmpeg, args);
          if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
          return (performance.now() - start) / 1000;
        },
      },
    ],
    { repeats: 9, unit: 's' },
  );
  await run.finish();
  rmSync(scratch, { recursive: true, force: true });
  return comparison;
}

async function histogramBench() {
  const values = new Float32Array(10_000_000);
  let s = 12345;
  for (let i = 0; i < values.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    values[i] = (s / 2 ** 32) * 2 - 1 + (i % 1000) * 1e-3;
  }
  let sink = 0;
  return interleave(
    'Histogram of a 10,000,000-value Float32Array (64 bins)',
    [
      {
        name: 'new Histogram(values) (M values/s)',
        run: () => {
          const start = performance.now();
          const histogram = new Histogram(values);
          const seconds = (performance.now() - start) / 1000;
          sink += histogram.mediaKind.length;
          return values.length / seconds / 1e6;
        },
      },
      {
        name: 'one summing pass, for scale (M values/s)',
        run: () => {
          const start = performance.now();
          let sum = 0;
          for (let i = 0; i < values.length; i++) sum += values[i];
          sink += sum;
          return values.length / ((performance.now() - start) / 1000) / 1e6;
        },
      },
    ],
    { repeats: 9, unit: 'M values/s', higherIsBetter: true },
  ).finally(() => sink);
}

async function main() {
  const parts = process.argv.slice(2);
  const wanted = (part: string) => parts.length === 0 || parts.includes(part);
  const store = mkdtempSync(join(tmpdir(), 'runlog-media-bench-store-'));
  const results: Record<string, unknown> = {};
  if (wanted('images')) {
    const images = await imageBench(store);
    printComparison(images);
    console.log(`  target: Image + run.log >= 0.85x sharp; median ratio ${images.ratioMedian.toFixed(3)}`);
    const cpu = { logged: median(cpuMsPerImage.logged.slice(1)), sharp: median(cpuMsPerImage.sharp.slice(1)) };
    console.log(
      `  CPU per image (median, all threads): logged ${cpu.logged.toFixed(2)} ms, sharp ${cpu.sharp.toFixed(2)} ms, ` +
        `sharp/logged ${(cpu.sharp / cpu.logged).toFixed(3)}`,
    );
    Object.assign(results, { images, imageCpuMsPerImage: cpuMsPerImage });
  }
  if (wanted('video')) {
    const video = await videoBench(store);
    printComparison(video);
    console.log(`  target: Video MP4 <= 1.2x ffmpeg from a file; median ratio ${video.ratioMedian.toFixed(3)}`);
    results.video = video;
  }
  if (wanted('histogram')) {
    const histogram = await histogramBench();
    printComparison(histogram);
    const [side] = histogram.sides;
    console.log(`  target: >= 100 M values/s; median ${side.median.toFixed(1)}, best ${side.min.toFixed(1)}`);
    results.histogram = histogram;
  }
  console.log(`  results: ${writeResults('media', results)}`);
  rmSync(store, { recursive: true, force: true });
}

await main();
