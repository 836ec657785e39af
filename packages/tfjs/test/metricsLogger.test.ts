import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricsLogger } from '../src/index.js';
import { BACKENDS, useBackend } from './backends.js';
import { tinyClassifier, toyData } from './models.js';
import { historyOf, jsonOf, tempStore, testRun } from './runs.js';

const store = await tempStore();
afterAll(store.cleanup);

function capture() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (text: string) => chunks.push(text), isTTY: false } };
}

describe.each(BACKENDS)('MetricsLogger on %s', (backend) => {
  it('logs epoch metrics (val included) equal to tfjs History, and batch metrics at logFreq', async () => {
    await useBackend(backend);
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const { x, y } = toyData(96);
    const out = capture();
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [new MetricsLogger({ run, logFreq: 'batch', progressStream: out.stream })],
    });
    await run.finish();

    const rows = await historyOf(run);
    const epochRows = rows.filter((row) => 'epoch/epoch' in row);
    expect(epochRows.map((row) => row['epoch/epoch'])).toEqual([0, 1, 2]);
    for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) {
      expect(history.history[key]).toHaveLength(3);
      expect(epochRows.map((row) => row[`epoch/${key}`])).toEqual(history.history[key]);
    }
    expect(epochRows[0]['epoch/learning_rate']).toBeCloseTo(0.05, 6);
    expect(epochRows[0]['epoch/samples_per_sec']).toBeGreaterThan(0);

    const batchRows = rows.filter((row) => 'batch/batch_step' in row);
    // 72 training samples / 16 = 5 batches per epoch
    expect(batchRows.map((row) => row['batch/batch_step'])).toEqual([...Array(15).keys()]);
    expect(batchRows.every((row) => typeof row['batch/loss'] === 'number' && !('batch/size' in row))).toBe(true);

    const metrics = await jsonOf(run, 'metrics.json');
    const definitions = metrics.definitions as Array<{ name: string; stepMetric: string | null }>;
    expect(definitions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'epoch/*', stepMetric: 'epoch/epoch' }),
        expect.objectContaining({ name: 'batch/*', stepMetric: 'batch/batch_step' }),
      ]),
    );
    const lines = out.chunks.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Epoch 1\/3 .*loss \d\.\d{4}.*val_acc/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('MetricsLogger', () => {
  it('logs every N batches with fitDataset, and draws a bar on a TTY', async () => {
    await useBackend('wasm');
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const { x, y } = toyData(64);
    const dataset = tf.data
      .zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) })
      .batch(8) as unknown as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
    const chunks: string[] = [];
    const stream = { write: (text: string) => chunks.push(text), isTTY: true, columns: 200 };
    const history = await model.fitDataset(dataset, {
      epochs: 2,
      verbose: 0,
      callbacks: [new MetricsLogger({ run, logFreq: 3, progressStream: stream })],
    });
    await run.finish();
    const rows = await historyOf(run);
    expect(rows.filter((row) => 'batch/batch_step' in row).map((row) => row['batch/batch_step'])).toEqual([
      0, 3, 6, 9, 12, 15,
    ]);
    const epochRows = rows.filter((row) => 'epoch/epoch' in row);
    expect(epochRows.map((row) => row['epoch/loss'])).toEqual(history.history.loss);
    expect(chunks.join('')).toContain('Epoch 2/2');
    expect(chunks.some((c) => c.startsWith('\r'))).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('rejects a bad logFreq and needs a run', () => {
    expect(() => new MetricsLogger({ logFreq: 0 })).toThrow(/logFreq/);
  });
});
