import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeHistogram } from '@runlog/core';
import { Histogram, Image, Table, Text } from '@runlog/media';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorboardSink } from '../src/index.js';
import { runPythonJson } from './helpers/pythonTensorboard.js';
import { quietInit, type TensorboardRunView, tempDir } from './helpers/store.js';

const store = tempDir('runlog-tb-sink-');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const readLogdir = (logdir: string) =>
  runPythonJson<{ runs: Record<string, TensorboardRunView> }>('read_logdir.py', [logdir]).runs;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tensorboardSink(run, logdir): the run mirrored live into an event file', () => {
  it('mirrors scalars, histograms (arrays, tensors, Histogram), images, text and hparams as they are logged', async () => {
    const logdir = join(store, 'live');
    const run = await quietInit(store, { name: 'live-run', config: { lr: 0.01, layers: [64, 32] } });
    const sink = tensorboardSink(run, logdir, { flushIntervalMs: 20 });
    const weights = Float32Array.from({ length: 500 }, (_, i) => Math.cos(i) * 4);
    const tensor = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6.5],
    ]);
    const pixels = Uint8Array.from({ length: 10 * 7 * 3 }, (_, i) => (i * 11) % 256);
    for (let step = 0; step < 10; step++) run.log({ loss: 2 ** -step, acc: step / 10, ok: step % 2 === 0 });
    run.log({ lr: 0.5 }, { commit: false });
    run.log({ weights, kernel: tensor, grad: new Histogram(weights, { numBins: 16 }), scale: tf.scalar(3) });
    run.log({ sample: new Image(pixels, { width: 10, height: 7, channels: 3 }), note: new Text('# hello'), tag: 'x' });
    run.log({ table: new Table({ columns: ['a'], data: [[1]] }), big: 123n, when: new Date(0), deep: { a: { b: 1 } } });

    // flushed while the run is live: TensorBoard already sees the first scalars
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readLogdir(logdir)['live-run'].scalars.loss).toHaveLength(10);

    await run.finish();
    await sink.done;
    expect(readdirSync(join(logdir, 'live-run'))).toEqual([sink.path.split('/').at(-1)]);
    const tb = readLogdir(logdir)['live-run'];
    expect(tb.scalars.loss).toEqual(Array.from({ length: 10 }, (_, step) => [step, 2 ** -step]));
    expect(tb.scalars.ok.slice(0, 2)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(tb.scalars.lr).toEqual([[10, 0.5]]);
    expect(tb.scalars.scale).toEqual([[10, 3]]);
    expect(tb.scalars.big).toEqual([[12, 123]]);
    expect(tb.scalars['deep.a.b']).toEqual([[12, 1]]);

    const expected = computeHistogram(weights);
    expect(tb.legacyHistograms.weights[0]).toMatchObject({
      step: 10,
      bucketLimit: expected.bins.slice(1),
      bucket: expected.values,
    });
    expect(tb.legacyHistograms.kernel[0].bucket.reduce((a, b) => a + b)).toBe(6);
    expect(tb.legacyHistograms.grad[0].bucket).toHaveLength(16);
    expect(tb.legacyHistograms.grad[0].bucket).toEqual(computeHistogram(weights, 16).values);

    // the image TensorBoard shows is byte for byte the one runlog stored
    const history = readFileSync(join(run.dir, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const stored = history.find((row) => row.sample).sample;
    expect(tb.images.sample).toEqual([
      { step: 11, width: '10', height: '7', sha256: [sha256(readFileSync(join(run.dir, stored.path)))] },
    ]);
    expect(tb.text.note).toEqual([[11, '# hello']]);
    expect(tb.text.tag).toEqual([[11, 'x']]);
    expect(tb.hparams.start?.hparams).toEqual({ lr: 0.01, layers: '[64,32]' });
    expect(tb.hparams.end).toEqual({ status: 1 });
    expect(sink.skipped).toEqual({ table: 1, date: 1 });
    expect(run.status().errors).toEqual([]);
  });

  it('writes calls of numbers only as events laid out per set of keys: every value exact in TensorBoard', async () => {
    const logdir = join(store, 'flat');
    const run = await quietInit(store, { name: 'flat-run' });
    const sink = tensorboardSink(run, logdir, { flushBytes: 4096 }); // many flushes mid-loop
    const expected: Record<string, Array<[number, number]>> = { loss: [], acc: [], lr: [], epoch: [] };
    const log = (step: number, values: Record<string, number>) => {
      run.log(values);
      for (const [key, value] of Object.entries(values)) expected[key].push([step, value]);
    };
    for (let step = 0; step < 400; step++) {
      if (step < 200) log(step, { loss: 1 / (step + 1), acc: step / 300, lr: 0.001 });
      else if (step < 250)
        log(step, { loss: -(2 ** -step) }); // another set of keys
      else if (step < 300)
        log(step, { acc: -step, loss: Number.MIN_VALUE * step, epoch: step >> 4 }); // a new tag
      else log(step, { loss: 1e300 * step, acc: Number.MAX_VALUE, lr: -0 }); // the first set again, other values
    }
    run.summary.set('acc', 0.5); // set by hand: a summary/ scalar of its own
    await run.finish();
    await sink.done;
    const tb = readLogdir(logdir)['flat-run'];
    expect(tb.scalars.loss).toEqual(expected.loss);
    expect(tb.scalars.acc).toEqual(expected.acc);
    expect(tb.scalars.lr).toEqual(expected.lr); // -0 too
    expect(tb.scalars.epoch).toEqual(expected.epoch);
    // Only acc's summary differs from the last value written: the laid-out events told the encoder their values.
    expect(Object.keys(tb.scalars).filter((tag) => tag.startsWith('summary/'))).toEqual(['summary/acc']);
    expect(tb.scalars['summary/acc']).toEqual([[399, 0.5]]);
    expect(run.status().errors).toEqual([]);
  });

  it('writes legacy float32 simple_values when asked, and the session ends as failed with the run', async () => {
    const logdir = join(store, 'legacy');
    const run = await quietInit(store, { name: 'legacy' });
    const sink = tensorboardSink(run, logdir, { scalars: 'simple_value' });
    run.log({ x: 0.1 });
    run.log({ x: 0.2 });
    await run.finish(3);
    await sink.done;
    const tb = readLogdir(logdir).legacy;
    expect(tb.scalars.x).toEqual([
      [0, Math.fround(0.1)],
      [1, Math.fround(0.2)],
    ]);
    expect(tb.hparams.end).toEqual({ status: 2 });
  });

  it('never throws into run.log: a logdir that cannot be written is reported in run.status()', async () => {
    const blocker = join(store, 'a-file');
    await import('node:fs/promises').then((fs) => fs.writeFile(blocker, 'not a folder'));
    const run = await quietInit(store, { name: 'blocked' });
    const sink = tensorboardSink(run, blocker, { flushIntervalMs: 10 });
    for (let i = 0; i < 100; i++) run.log({ i });
    await sink.flush();
    await run.finish();
    await sink.done;
    expect(run.status().errors.some((e) => e.context === 'writing TensorBoard events')).toBe(true);
    expect(readFileSync(join(run.dir, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(100);
  });
});
