import { RunlogError } from '@runlog/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { isWatched, MetricsLogger, unwatch, watch } from '../src/index.js';
import { BACKENDS, useBackend } from './backends.js';
import { tinyClassifier, toyData } from './models.js';
import { historyOf, jsonLinesOf, tempStore, testRun } from './runs.js';

const store = await tempStore();
afterAll(store.cleanup);

type HistogramRef = { _type: string; bins: number[]; values: number[] };

async function trainedWeights(seed: number, prepare?: (model: tf.LayersModel) => void | Promise<void>) {
  const model = tinyClassifier({ seed });
  await prepare?.(model);
  const { x, y } = toyData(64);
  await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, shuffle: false });
  const weights = model.getWeights().map((w) => Buffer.from(w.dataSync().buffer));
  tf.dispose([x, y]);
  return { model, weights };
}

describe.each(BACKENDS)('watch on %s', (backend) => {
  it('logs gradient and parameter histograms whose counts add up to each weight size, and norms', async () => {
    await useBackend(backend);
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const { x, y } = toyData(64);
    watch(model, { run, log: 'all', logFreq: 2 });
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 16,
      verbose: 0,
      callbacks: [new MetricsLogger({ run, logFreq: 'batch', progress: false })],
    });
    unwatch(model);
    await run.finish();
    const rows = await historyOf(run);
    const sizes = new Map(model.weights.map((w) => [w.name, w.shape.reduce<number>((a, b) => a * (b ?? 1), 1)]));
    // 4 optimizer steps, logFreq 2: steps 0 and 2, joined to their batch rows (commit: false)
    const logged = rows.filter((row) => Object.keys(row).some((k) => k.startsWith('gradients/')));
    expect(logged.map((row) => row['batch/batch_step'])).toEqual([0, 2]);
    for (const row of logged) {
      for (const [name, size] of sizes) {
        for (const prefix of ['gradients', 'parameters']) {
          const histogram = row[`${prefix}/${name}`] as HistogramRef;
          expect(histogram._type).toBe('histogram');
          expect(histogram.values.length).toBeLessThanOrEqual(64);
          expect(histogram.values.reduce((a, b) => a + b, 0)).toBe(size);
        }
      }
      const layerNorms = model.layers.map((layer) => row[`grad_norm/${layer.name}`] as number);
      const global = row['grad_norm/global'] as number;
      expect(Math.hypot(...layerNorms)).toBeCloseTo(global, 4);
      expect(global).toBeGreaterThan(0);
    }
    model.dispose();
    tf.dispose([x, y]);
  });

  it('leaves training bit-identical, and unwatch restores the optimizer exactly', async () => {
    await useBackend(backend);
    const never = await trainedWeights(11);
    const run = await testRun(store.dir);
    let optimizer: tf.Optimizer | undefined;
    const watched = await trainedWeights(11, (model) => {
      optimizer = model.optimizer;
      expect(Object.hasOwn(optimizer, 'applyGradients')).toBe(false);
      watch(model, { run, log: 'all', logFreq: 1 });
      expect(Object.hasOwn(optimizer, 'applyGradients')).toBe(true);
    });
    expect(watched.weights).toEqual(never.weights);
    expect(unwatch(watched.model)).toBe(true);
    expect(Object.hasOwn(optimizer!, 'applyGradients')).toBe(false);
    expect(optimizer!.applyGradients).toBe(Object.getPrototypeOf(optimizer).applyGradients);
    expect(unwatch(watched.model)).toBe(false);
    await run.finish();
    never.model.dispose();
    watched.model.dispose();
  });
});

describe('watch', () => {
  it('refuses to watch twice, and unwatches when the run finishes', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    watch(model, { run });
    let error: unknown;
    try {
      watch(model, { run });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunlogError);
    expect((error as RunlogError).code).toBe('ALREADY_WATCHED');
    expect((error as Error).message).toMatch(/already watched.*unwatch/);
    await run.finish();
    expect(isWatched(model)).toBe(false);
    expect(Object.hasOwn(model.optimizer, 'applyGradients')).toBe(false);
    expect(() => watch(tf.sequential(), { run })).toThrow(/compile/);
    model.dispose();
  });

  it('raises an alert once when the loss goes NaN', async () => {
    await useBackend('wasm');
    const run = await testRun(store.dir);
    const model = tinyClassifier({ lr: 0.01 });
    const { x, y } = toyData(32);
    const poisoned = x.arraySync() as number[][];
    poisoned[20][1] = Number.NaN; // the second batch has a NaN input: loss and gradients become NaN
    const xs = tf.tensor2d(poisoned);
    watch(model, { run, logFreq: 1000 });
    await model.fit(xs, y, { epochs: 2, batchSize: 16, verbose: 0, shuffle: false });
    unwatch(model);
    await run.finish();
    const alerts = await jsonLinesOf(run, 'alerts.jsonl');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'ERROR', title: 'NaN or Infinity in gradients' });
    expect(alerts[0].text).toMatch(/optimizer step 1: the gradients of .*kernel/);
    tf.dispose([x, y, xs]);
    model.dispose();
  });

  it('works in a custom loop with optimizer.minimize', async () => {
    await useBackend('wasm');
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const optimizer = tf.train.sgd(0.1);
    const { x, y } = toyData(32);
    watch(model, { run, optimizer, logFreq: 1 });
    for (let step = 0; step < 3; step++) {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor), true);
      run.log({ loss: loss! });
      loss!.dispose();
    }
    unwatch(model);
    await run.finish();
    const rows = await historyOf(run);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(typeof row.loss).toBe('number');
      expect((row[`gradients/${model.weights[0].name}`] as HistogramRef).values.reduce((a, b) => a + b)).toBe(32);
    }
    tf.dispose([x, y]);
    model.dispose();
  });
});
