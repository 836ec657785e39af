import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJson, init, type Run } from '@runlog/core';
import { Audio, Histogram, Html, Image, plot, resolveFfmpeg, Table, Text, Video } from '@runlog/media';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from './helpers/probeVideo.js';
import { referenceHistogram } from './helpers/referenceHistogram.js';
import { readWavHeader } from './helpers/wavHeader.js';

const store = mkdtempSync(join(tmpdir(), 'runlog-media-e2e-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function quietInit(): Promise<Run> {
  return init({ project: 'media', dir: store, settings: { console: false, systemMetrics: false, quiet: true } });
}

function readHistory(run: Run): Record<string, unknown>[] {
  return readFileSync(join(run.dir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => decodeJson(line) as Record<string, unknown>);
}

type FileRef = { _type: string; path: string; sha256: string; size: number } & Record<string, unknown>;

/** Reads a referenced file back and checks its hash and size against the reference. */
function readBack(run: Run, ref: FileRef): Buffer {
  const bytes = readFileSync(join(run.dir, ref.path));
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(ref.sha256);
  expect(bytes.length).toBe(ref.size);
  return bytes;
}

describe('media through init() / run.log() / run.finish()', () => {
  it('writes every media type under the run and references them from history', async () => {
    const run = await quietInit();
    const pixels = new Uint8Array(16 * 16 * 3).map((_, i) => (i * 5) % 256);
    const frames = new Uint8Array(8 * 3 * 16 * 16).map((_, i) => (i >> 6) % 256);
    const weights = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 3);
    const tensor = tf.randomNormal([50, 40]);
    const tensorValues = Array.from(tensor.dataSync());
    const table = new Table({ columns: ['image', 'label'] });
    table.addData(new Image(pixels, { width: 16, height: 16, channels: 3 }), 'first');

    run.log({
      loss: 0.5,
      sample: new Image(pixels, { width: 16, height: 16, channels: 3, caption: 'noise' }),
      gallery: [0, 1, 2].map(
        (i) =>
          new Image(
            pixels.map((v) => (v + i * 40) % 256),
            { width: 16, height: 16 },
          ),
      ),
    });
    run.log({
      'media/rollout': new Video(frames, { shape: [8, 3, 16, 16], fps: 8, format: 'mp4' }),
      anim: new Video(frames, { shape: [8, 3, 16, 16], fps: 8 }),
      speech: new Audio(new Float32Array(1600).fill(0.25), { sampleRate: 16000 }),
      weights: new Histogram(weights, { numBins: 32 }),
      activations: new Histogram(tensor),
    });
    tensor.dispose();
    const roc = plot.rocCurve(
      [0, 1, 1, 0],
      [
        [0.8, 0.2],
        [0.3, 0.7],
        [0.4, 0.6],
        [0.6, 0.4],
      ],
      ['no', 'yes'],
    );
    run.log({ predictions: table, roc, notes: new Html('<b>ok</b>'), caption: new Text('hello') });
    await run.finish();

    const rows = readHistory(run);
    expect(rows.map((r) => r._step)).toEqual([0, 1, 2]);
    expect(run.status().errors).toEqual([]);

    const sample = rows[0].sample as FileRef;
    expect(sample).toMatchObject({ _type: 'image-file', width: 16, height: 16, caption: 'noise' });
    expect(sample.path).toMatch(/^media\/image\/sample_0_[0-9a-f]{20}\.png$/);
    const decoded = await sharp(readBack(run, sample)).raw().toBuffer();
    expect(new Uint8Array(decoded)).toEqual(pixels);

    const gallery = rows[0].gallery as { _type: string; items: FileRef[] };
    expect(gallery._type).toBe('image-list');
    expect(gallery.items).toHaveLength(3);
    for (const item of gallery.items) expect((await sharp(readBack(run, item)).metadata()).width).toBe(16);

    const mp4 = rows[1]['media/rollout'] as FileRef;
    expect(mp4.path).toMatch(/^media\/video\/media\/rollout_1_[0-9a-f]{20}\.mp4$/);
    readBack(run, mp4);
    expect(probeVideo(resolveFfmpeg(), join(run.dir, mp4.path))).toMatchObject({
      codec: 'h264',
      frames: 8,
      width: 16,
      height: 16,
    });
    const gif = rows[1].anim as FileRef;
    const gifMeta = await sharp(readBack(run, gif), { animated: true }).metadata();
    expect([gifMeta.pages, gifMeta.delay?.[0]]).toEqual([8, 130]); // 1000 / 8 ms, rounded to GIF's centiseconds

    const wav = readWavHeader(join(run.dir, (rows[1].speech as FileRef).path));
    expect([wav.sampleRate, wav.channels, wav.dataSize]).toEqual([16000, 1, 3200]);

    const weightsRow = rows[1].weights as { bins: number[]; values: number[] };
    const reference = referenceHistogram(weights, 32);
    expect(weightsRow.bins).toEqual(reference.bins);
    expect(weightsRow.values).toEqual(reference.values);
    const activations = rows[1].activations as { _type: string; values: number[] };
    expect(activations._type).toBe('histogram');
    expect(activations.values).toEqual(referenceHistogram(tensorValues, 64).values);

    const tableRef = rows[2].predictions as FileRef;
    expect(tableRef.path).toMatch(/^media\/table\/predictions_2_[0-9a-f]{20}\.json$/);
    const tableFile = decodeJson(readBack(run, tableRef).toString('utf8')) as { data: [FileRef, string][] };
    expect(tableFile.data[0][1]).toBe('first');
    readBack(run, tableFile.data[0][0]);
    const rocRef = rows[2].roc as FileRef & { table: FileRef };
    expect(rocRef).toMatchObject({ _type: 'plot-file', chart: 'roc-curve' });
    expect(rocRef.path).toMatch(/^media\/plot\/roc_2_[0-9a-f]{20}\.json$/);
    expect(JSON.parse(readBack(run, rocRef).toString('utf8')).data.values.length).toBeGreaterThan(2);
    readBack(run, rocRef.table);
    expect(readBack(run, rows[2].notes as FileRef).toString()).toBe('<b>ok</b>');
    expect(rows[2].caption).toEqual({ _type: 'text', text: 'hello' });
  });

  it('a failure while encoding in the background is recorded in status; the rest of the row is kept', async () => {
    const run = await quietInit();
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const vanishing = join(store, 'vanishing.png');
    writeFileSync(vanishing, png);
    const fromFile = new Image(vanishing);
    rmSync(vanishing); // gone before the background encoder reads it
    const nanTensor = tf.tensor2d([0, Number.NaN, 0, 1], [2, 2]);
    run.log({ loss: 0.25, broken: fromFile, nanImage: new Image(nanTensor), ok: new Image(png) });
    nanTensor.dispose();
    await run.flush();
    const status = run.status();
    expect(status.errors.map((e) => e.context).join('\n')).toMatch(/broken/);
    expect(status.errors.map((e) => e.context).join('\n')).toMatch(/nanImage/);
    run.log({ loss: 0.2 });
    await run.finish();
    const rows = readHistory(run);
    expect(rows[0].loss).toBe(0.25);
    expect(rows[0]).not.toHaveProperty('broken');
    expect(rows[0]).not.toHaveProperty('nanImage');
    expect((rows[0].ok as FileRef)._type).toBe('image-file');
    expect(rows[1].loss).toBe(0.2);
  });

  it('bad input throws at the call that made it and nothing already logged is lost', async () => {
    const run = await quietInit();
    run.log({ loss: 1 });
    expect(() => run.log({ img: new Image(new Uint8Array(5), { width: 2, height: 2, channels: 3 }) })).toThrow(
      expect.objectContaining({ code: 'MEDIA_INVALID' }),
    );
    run.log({ loss: 2 });
    await run.finish();
    expect(readHistory(run).map((r) => r.loss)).toEqual([1, 2]);
  });
});
