import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, computeHistogram } from '@runlog/core';
import { Histogram, Image, Text } from '@runlog/media';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exportRuns } from '../src/index.js';
import { runPythonJson } from './helpers/pythonTensorboard.js';
import { quietInit, type TensorboardRunView, tempDir } from './helpers/store.js';

const store = tempDir('runlog-tb-export-');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function readLogdir(logdir: string): Record<string, TensorboardRunView> {
  return runPythonJson<{ runs: Record<string, TensorboardRunView> }>('read_logdir.py', [logdir]).runs;
}

describe('runlog export -> TensorBoard reads it (its own data provider and EventAccumulator)', () => {
  it('every scalar, step, histogram bucket, image byte, text and hparam arrives as logged', async () => {
    const run = await quietInit(store, {
      name: 'brisk river/7',
      config: { lr: 0.001, opt: { name: 'adam' }, deep: true },
    });
    const weights = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 2.5);
    const pixels = Uint8Array.from({ length: 8 * 6 * 3 }, (_, i) => (i * 37) % 256);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const loss = 1 / (step + 1) + step * 1e-17;
      losses.push(loss);
      run.log({ loss, 'val/acc': step === 3 ? Number.NaN : step / 20, nested: { depth: step * 2 } });
    }
    run.log({
      weights,
      grad: new Histogram(
        weights.map((w) => w * w),
        { numBins: 30 },
      ),
      note: new Text('**hi**'),
    });
    run.log({
      sample: new Image(pixels, {
        width: 8,
        height: 6,
        channels: 3,
        masks: {
          seg: { maskData: Array.from({ length: 48 }, (_, i) => i % 3), classLabels: { 0: 'bg', 1: 'a', 2: 'b' } },
        },
        boxes: {
          found: {
            boxData: [{ position: { minX: 0.1, maxX: 0.6, minY: 0.2, maxY: 0.8 }, classId: 1 }],
            classLabels: { 1: 'cat' },
          },
        },
      }),
      gallery: [0, 1].map(
        (i) =>
          new Image(
            pixels.map((p) => (p + i * 50) % 256),
            { width: 8, height: 6, channels: 3 },
          ),
      ),
      phase: 'train',
    });
    run.defineMetric('loss', { summary: 'min' });
    run.summary.set('best_epoch', 7);
    await run.finish();

    const view = await new Api({ dir: store }).run(run.path);
    const logdir = join(store, 'logdir');
    const progress: number[] = [];
    const [exported] = await exportRuns([view], { logdir, onProgress: (f) => progress.push(f) });
    expect(exported.rows).toBe(22);
    expect(exported.images).toBe(3);
    expect(progress.at(-1)).toBe(1);
    expect(readdirSync(logdir)).toEqual(['brisk_river_7']);

    const tb = readLogdir(logdir).brisk_river_7;
    expect(tb.scalars.loss).toEqual(losses.map((loss, step) => [step, loss])); // float64: exact
    expect(tb.scalars['val/acc'][3]).toEqual([3, 'nan']);
    expect(tb.scalars['val/acc'][4]).toEqual([4, 0.2]);
    expect(tb.scalars['nested.depth'].at(-1)).toEqual([19, 38]);
    // summary: loss is summarised by its minimum, which is also its last value; best_epoch was set by hand
    expect(tb.scalars['summary/best_epoch']).toEqual([[21, 7]]);
    expect(tb.scalars['summary/loss']).toBeUndefined();

    const expected = computeHistogram(weights);
    const [legacy] = tb.legacyHistograms.weights;
    expect(legacy.step).toBe(20);
    expect(legacy.min).toBe(expected.bins[0]);
    expect(legacy.max).toBe(expected.bins.at(-1));
    expect(legacy.bucketLimit).toEqual(expected.bins.slice(1)); // float64 edges, numpy-exact
    expect(legacy.bucket).toEqual(expected.values);
    const [buckets] = tb.histograms.weights; // the data provider: [left, right, count] (float32)
    expect(buckets.buckets.map((b) => b[2])).toEqual(expected.values);
    expect(buckets.buckets.map((b) => b[0])).toEqual(expected.bins.slice(0, -1).map(Math.fround));
    expect(tb.legacyHistograms.grad[0].bucket).toHaveLength(30);

    const stored = (await view.history({ keys: ['sample'], samples: 10 }))[0].sample as {
      path: string;
      masks: Record<string, { path: string }>;
    };
    const image = tb.images.sample[0];
    expect(image).toMatchObject({ step: 21, width: '8', height: '6' });
    expect(image.sha256).toEqual([sha256(readFileSync(join(view.dir, stored.path)))]); // byte-identical
    expect(tb.images.gallery[0].sha256).toHaveLength(2);
    expect(tb.images['sample/masks/seg'][0]).toMatchObject({ step: 21, width: '8', height: '6' });
    expect(tb.images['sample/boxes/found'][0].sha256).toHaveLength(1);

    expect(tb.text.note).toEqual([[20, '**hi**']]);
    expect(tb.text.phase).toEqual([[21, 'train']]);
    expect(tb.hparams.start).toEqual({
      hparams: { lr: 0.001, 'opt.name': 'adam', deep: true },
      groupName: run.id,
    });
    expect(tb.hparams.end).toEqual({ status: 1 });
    expect(exported.skipped).toEqual({});
  });

  it("exporting again replaces the run's file; two runs with one name get folders of their own", async () => {
    const a = await quietInit(store, { name: 'twin', project: 'again' });
    a.log({ x: 1 });
    await a.finish();
    const b = await quietInit(store, { name: 'twin', project: 'again' });
    b.log({ x: 2 });
    await b.finish();
    const runs = await new Api({ dir: store }).runs('again').toArray();
    const logdir = join(store, 'again-logdir');
    await exportRuns(runs, { logdir });
    await exportRuns(runs, { logdir });
    expect(readdirSync(logdir).sort()).toEqual([`twin-${a.id}`, `twin-${b.id}`].sort());
    for (const folder of readdirSync(logdir)) expect(readdirSync(join(logdir, folder))).toHaveLength(1);
    const tb = readLogdir(logdir);
    expect(tb[`twin-${a.id}`].scalars.x).toEqual([[0, 1]]);
    expect(tb[`twin-${b.id}`].scalars.x).toEqual([[0, 2]]);
  });

  it('keeps images sharp encodes byte for byte (a PNG written by sharp itself)', async () => {
    const png = await sharp({ create: { width: 5, height: 4, channels: 4, background: '#3a7' } })
      .png()
      .toBuffer();
    const run = await quietInit(store, { project: 'png' });
    run.log({ raw: new Image(new Uint8Array(png)) });
    await run.finish();
    const logdir = join(store, 'png-logdir');
    await exportRuns([await new Api({ dir: store }).run(run.path)], { logdir });
    const tb = Object.values(readLogdir(logdir))[0];
    expect(tb.images.raw[0].sha256).toEqual([sha256(png)]);
  });
});
