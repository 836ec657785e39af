import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Artifact, init } from '@runlog/core';
import { Audio, Image, plot, Table, Text, Video } from '@runlog/media';
import { callbacks, unwatch, watch } from '@runlog/tfjs';
import * as tf from '@tensorflow/tfjs';

/** Settings for test runs: no console capture or signal handlers inside the test worker. */
export const TEST_SETTINGS = { console: false, processHooks: false, quiet: true, systemMetrics: false } as const;

/** A 32x24 RGB image whose colour says which step it was logged at. */
export function stepImage(step: number, caption: string): Image {
  const width = 32;
  const height = 24;
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    pixels[i * 3] = (step * 37) % 256;
    pixels[i * 3 + 1] = 120;
    pixels[i * 3 + 2] = 255 - ((step * 37) % 256);
  }
  const mask = new Uint8Array(width * height);
  for (let y = 12; y < 24; y++) for (let x = 0; x < 16; x++) mask[y * width + x] = 1;
  return new Image(pixels, {
    width,
    height,
    channels: 3,
    caption,
    classes: { 0: 'background', 1: 'digit' },
    masks: { truth: { maskData: mask } },
    boxes: {
      predictions: {
        boxData: [
          { position: { minX: 0.5, maxX: 0.9, minY: 0.1, maxY: 0.6 }, classId: 1, boxCaption: `digit @${step}` },
        ],
      },
    },
  });
}

export interface TestStore {
  project: string;
  trainId: string;
  otherId: string;
  mediaId: string;
  prepareId: string;
  tfjsId: string;
  trainSteps: number;
  imageSteps: number[];
}

/**
 * A store written by the real engine: a tfjs-like training run (loss per batch, validation per epoch with
 * defineMetric's stepMetric, weight histograms, sample images with masks and boxes, an alert) and a second run
 * to compare with.
 */
export async function buildStore(dir: string): Promise<TestStore> {
  const project = 'digits';
  const trainSteps = 6000;
  const imageSteps = [1000, 3000, 5000];
  // Lineage: a prepare run logs the dataset, the training run uses it and logs a model.
  const files = `${dir}-files`;
  await mkdir(files, { recursive: true });
  await writeFile(join(files, 'train.csv'), 'pixels,label\n0 0 1,7\n');
  await writeFile(join(files, 'model.json'), '{"layers":2}');
  const prepare = await init({
    project,
    dir,
    name: 'prepare-data',
    jobType: 'data',
    settings: { ...TEST_SETTINGS, console: true },
  });
  process.stdout.write('prepare: wrote 1 row\n');
  process.stderr.write('prepare: no labels missing\n');
  const dataset = new Artifact('digits-data', 'dataset', { metadata: { rows: 1 } });
  await dataset.addFile(join(files, 'train.csv'));
  await prepare.logArtifact(dataset);
  await prepare.finish();
  const train = await init({
    project,
    dir,
    name: 'cnn-train',
    config: { lr: 0.001, batchSize: 32, optimizer: { name: 'adam', beta1: 0.9 } },
    tags: ['cnn', 'baseline'],
    settings: { ...TEST_SETTINGS, systemMetrics: true, systemMetricsIntervalMs: 20 },
  });
  train.defineMetric('val/*', { stepMetric: 'epoch', summary: 'min' });
  await train.useArtifact('digits-data:latest');
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let step = 0; step < trainSteps; step++) {
    const row: Record<string, unknown> = {
      loss: Math.exp(-step / 1500) + random() * 0.05 + (step === 4321 ? 5 : 0),
      'train/acc': 1 - Math.exp(-step / 1200),
    };
    if (step % 500 === 499) {
      row.epoch = (step + 1) / 500;
      row['val/loss'] = Math.exp(-step / 2000) + 0.05;
    }
    if (step % 600 === 0) {
      const weights = new Float32Array(2000);
      for (let i = 0; i < weights.length; i++) weights[i] = (random() - 0.5) * (1 + step / 1500);
      row['weights/dense'] = weights;
    }
    if (imageSteps.includes(step)) row.samples = stepImage(step, `sample at ${step}`);
    if (step === 4321) train.alert({ title: 'loss spike', text: 'loss jumped above 5', level: 'WARN' });
    train.log(row);
  }
  await train.logModel(join(files, 'model.json'), { name: 'cnn-model', aliases: ['best'] });
  await train.finish();

  const other = await init({
    project,
    dir,
    name: 'mlp-small',
    config: { lr: 0.01, batchSize: 64 },
    tags: ['mlp'],
    settings: TEST_SETTINGS,
  });
  for (let step = 0; step < 2000; step++)
    other.log({ loss: 1.2 * Math.exp(-step / 900), 'train/acc': 1 - Math.exp(-step / 700) });
  await other.finish();

  const media = await init({ project, dir, name: 'media-showcase', tags: ['media'], settings: TEST_SETTINGS });
  for (let step = 0; step < 3; step++) {
    const frames = new Uint8Array(4 * 3 * 16 * 16).map((_, i) => (i * 7 + step * 50) % 256);
    const tone = Float32Array.from({ length: 2000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    const curve = new Table({
      columns: ['x', 'y'],
      data: Array.from({ length: 20 }, (_, i) => [i, (i * (step + 1)) ** 0.5]),
    });
    media.log({
      gallery: [stepImage(step, 'left'), stepImage(step + 3, 'right')],
      clip: new Video(frames, { shape: [4, 3, 16, 16], fps: 4, caption: `clip ${step}` }),
      tone: new Audio(tone, { sampleRate: 8000, caption: 'a4' }),
      predictions: new Table({
        columns: ['image', 'label', 'score'],
        data: [
          [stepImage(step, 'seven'), 'seven', 0.9 - step / 10],
          [stepImage(step + 1, 'one'), 'one', 0.2 + step / 10],
          [stepImage(step + 2, 'four'), 'four', 0.5],
        ],
      }),
      curve: plot.line(curve, 'x', 'y', { title: `sqrt curve ${step}` }),
      note: new Text(`note at step ${step}`),
    });
  }
  await media.finish();
  const tfjsId = await tfjsRun(dir, project);
  return {
    project,
    trainId: train.id,
    otherId: other.id,
    mediaId: media.id,
    prepareId: prepare.id,
    tfjsId,
    trainSteps,
    imageSteps,
  };
}

/**
 * A real tfjs training run through @runlog/tfjs: a small dense classifier, watch(model) for gradient and
 * parameter histograms, callbacks() for epoch metrics and a checkpoint per epoch (a model artifact).
 */
async function tfjsRun(dir: string, project: string): Promise<string> {
  const run = await init({
    project,
    dir,
    name: 'tfjs-mlp',
    tags: ['tfjs'],
    config: { epochs: 4 },
    settings: TEST_SETTINGS,
  });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 8,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.randomNormal([64, 4], 0, 1, 'float32', 1);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 64 }, (_, i) => i % 2),
      'int32',
    ),
    2,
  );
  watch(model, { run, log: 'all', logFreq: 2 });
  await model.fit(x, y, {
    epochs: 4,
    batchSize: 16,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: callbacks({ run, progress: false, checkpoint: { monitor: 'val_loss', name: 'tiny-mlp' } }),
  });
  unwatch(model);
  await run.finish();
  tf.dispose([x, y]);
  model.dispose();
  return run.id;
}
