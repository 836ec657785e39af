import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { PredictionLogger, watch } from '../src/index.js';
import { useBackend } from './backends.js';
import { historyOf, tempStore, testRun } from './runs.js';

const store = await tempStore();
afterAll(store.cleanup);

function tinyCnn() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 2,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('PredictionLogger and logGraph', () => {
  it('logs a table with image inputs, labels, predictions and scores; logGraph the layer table', async () => {
    // cpu: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel (see examples/digits for a workaround)
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const model = tinyCnn();
    const x = tf.randomUniform([12, 8, 8, 1], 0, 1, 'float32', 9);
    const labels = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32');
    const y = tf.oneHot(labels, 3).toFloat();
    watch(model, { run, log: false, logGraph: true });
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 6,
      verbose: 0,
      callbacks: [
        new PredictionLogger({ run, x: x.slice(0, 4), y: y.slice(0, 4), classNames: ['a', 'b', 'c'], every: 2 }),
      ],
    });
    await run.finish();
    const rows = await historyOf(run);
    const withTable = rows.filter((row) => 'predictions' in row);
    expect(withTable).toHaveLength(1); // every: 2 -> epoch 1 only
    const ref = withTable[0].predictions as { _type: string; path: string };
    expect(ref._type).toBe('table-file');
    const table = JSON.parse(await readFile(join(run.dir, ref.path), 'utf8'));
    expect(table.columns).toEqual(['id', 'epoch', 'input', 'label', 'prediction', 'score', 'correct', 'scores']);
    expect(table.data).toHaveLength(4);
    const [id, epoch, input, label, prediction, score, correct, scores] = table.data[0];
    expect([id, epoch, label]).toEqual([0, 1, 'a']);
    expect(['a', 'b', 'c']).toContain(prediction);
    expect(correct).toBe(prediction === 'a');
    const parsed = JSON.parse(scores) as number[];
    expect(parsed).toHaveLength(3);
    expect(score).toBeCloseTo(Math.max(...parsed), 5);
    expect(input._type).toBe('image-file');
    const png = await readFile(join(run.dir, input.path));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([8, 8]); // IHDR width, height

    const graphRow = rows.find((row) => 'graph/layers' in row)!;
    const graphRef = graphRow['graph/layers'] as { path: string };
    const graph = JSON.parse(await readFile(join(run.dir, graphRef.path), 'utf8'));
    expect(graph.data.map((r: unknown[]) => r[1])).toEqual(['Conv2D', 'Flatten', 'Dense']);
    expect(graph.data[0][3]).toBe(3 * 3 * 1 * 2 + 2);
    const summary = JSON.parse(await readFile(join(run.dir, 'summary.json'), 'utf8'));
    expect(summary['graph/params']).toBe(model.countParams());
    expect(existsSync(join(run.dir, 'files', 'model_graph.json'))).toBe(true);
    tf.dispose([x, y, labels]);
    model.dispose();
  });
});
