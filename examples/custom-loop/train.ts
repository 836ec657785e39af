/**
 * A custom training loop with @runlog/tfjs: no model.fit, just `optimizer.minimize` on a small MLP over the
 * synthetic digits, with watch(model, { optimizer }) logging gradient histograms and norms into the same rows
 * as the loss the loop logs itself. Run it: `node --import tsx examples/custom-loop/train.ts`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { init } from '@runlog/core';
import { unwatch, watch } from '@runlog/tfjs';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../digits/wasmBackend.js';
import { renderDigits } from '../shared/digits.js';

export interface CustomLoopOptions {
  samples?: number;
  epochs?: number;
  batchSize?: number;
  dir?: string;
  project?: string;
  verbose?: boolean;
}

export async function main(options: CustomLoopOptions = {}) {
  const { samples = 1000, epochs = 3, batchSize = 50, project = 'custom-loop', verbose = true } = options;
  await useWasmBackend();
  const digits = await renderDigits({ count: samples, seed: 7 });
  const xs = tf.tensor2d(digits.images, [samples, 28 * 28]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(digits.labels, 'int32'), 10).toFloat());
  const run = await init({
    project,
    dir: options.dir,
    config: { samples, epochs, batchSize, optimizer: 'adam', learningRate: 0.005 },
    tags: ['example', 'custom-loop'],
    settings: { quiet: !verbose },
  });
  run.defineMetric('epoch');
  run.defineMetric('epoch/*', { stepMetric: 'epoch' });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [784],
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const optimizer = tf.train.adam(0.005);
  watch(model, { run, optimizer, log: 'gradients', logFreq: 5 });

  const batches = Math.ceil(samples / batchSize);
  let lastLoss = Number.NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let b = 0; b < batches; b++) {
      const x = xs.slice(b * batchSize, batchSize);
      const y = ys.slice(b * batchSize, batchSize);
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor), true)!;
      lastLoss = loss.dataSync()[0];
      run.log({ 'train/loss': loss, epoch }); // a scalar tensor is logged as a number
      tf.dispose([x, y, loss]);
    }
    const accuracy = tf.tidy(
      () => (model.predict(xs) as tf.Tensor).argMax(-1).equal(ys.argMax(-1)).mean().dataSync()[0],
    );
    run.log({ 'epoch/train_acc': accuracy, epoch });
    if (verbose)
      console.log(`epoch ${epoch + 1}/${epochs}  loss ${lastLoss.toFixed(4)}  train acc ${accuracy.toFixed(3)}`);
  }
  unwatch(model);
  await run.finish();
  tf.dispose([xs, ys]);
  model.dispose();
  return { runPath: run.path, runDir: run.dir, finalLoss: lastLoss, steps: batches * epochs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
