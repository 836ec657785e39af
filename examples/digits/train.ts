/**
 * The runlog demo (`pnpm demo`): trains a small CNN on synthetic digits rendered locally with sharp, on the
 * tfjs wasm backend, with every @runlog/tfjs callback and watch(model), then prints where the run went.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { init } from '@runlog/core';
import { callbacks, loadModel, unwatch, watch } from '@runlog/tfjs';
import * as tf from '@tensorflow/tfjs';
import { renderDigits } from '../shared/digits.js';
import { buildDigitsCnn } from './model.js';
import { useWasmBackend } from './wasmBackend.js';

export interface DigitsDemoOptions {
  /** Training samples (10% of them validate). Default 3000. */
  samples?: number;
  /** Held-out test samples. Default 500. */
  testSamples?: number;
  epochs?: number;
  batchSize?: number;
  /** The runlog store; default $RUNLOG_DIR or ./runlog. */
  dir?: string;
  project?: string;
  seed?: number;
  /** Print progress and the closing summary. Default true. */
  verbose?: boolean;
}

export interface DigitsDemoResult {
  runPath: string;
  runDir: string;
  storeDir: string;
  testAccuracy: number;
  bestTestAccuracy: number;
  summary: Record<string, unknown>;
}

const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export async function main(options: DigitsDemoOptions = {}): Promise<DigitsDemoResult> {
  const { samples = 3000, testSamples = 500, epochs = 4, batchSize = 64, project = 'digits', seed = 1 } = options;
  const verbose = options.verbose ?? true;
  const say = (text: string) => verbose && console.log(text);

  await useWasmBackend();
  say(`Rendering ${samples + testSamples} synthetic digits with sharp...`);
  const train = await renderDigits({ count: samples, seed });
  const test = await renderDigits({ count: testSamples, seed: seed + 1000 });
  const toTensors = (set: typeof train) => ({
    x: tf.tensor4d(set.images, [set.count, 28, 28, 1]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(set.labels, 'int32'), 10).toFloat()),
  });
  const trainSet = toTensors(train);
  const testSet = toTensors(test);

  const run = await init({
    project,
    dir: options.dir,
    config: { samples, testSamples, epochs, batchSize, seed, backend: tf.getBackend(), model: 'digits_cnn' },
    tags: ['demo', 'tfjs', 'wasm'],
    notes: 'Small CNN on synthetic sharp-rendered digits (examples/digits/train.ts)',
    settings: { quiet: !verbose },
  });
  say(`Run ${run.path} (${run.name}) -> ${run.dir}`);
  const model = buildDigitsCnn(seed);
  watch(model, { run, log: 'all', logFreq: 20, logGraph: true });
  const probe = { x: testSet.x.slice(0, 24), y: testSet.y.slice(0, 24) };
  try {
    await model.fit(trainSet.x, trainSet.y, {
      epochs,
      batchSize,
      validationSplit: 0.1,
      verbose: 0,
      callbacks: callbacks({
        run,
        logFreq: 'batch',
        progress: verbose,
        checkpoint: { monitor: 'val_acc', name: 'digits-cnn' },
        predictions: { ...probe, classNames: CLASS_NAMES },
      }),
    });
  } finally {
    unwatch(model);
  }

  const testAccuracy = accuracy(model, testSet);
  const best = await loadModel(run, 'digits-cnn:best');
  const bestTestAccuracy = accuracy(best, testSet);
  run.summary.set('test/acc', testAccuracy);
  run.summary.set('test/best_checkpoint_acc', bestTestAccuracy);
  const summary = run.summary.toJSON() as Record<string, unknown>;
  await run.finish();
  tf.dispose([trainSet.x, trainSet.y, testSet.x, testSet.y, probe.x, probe.y]);
  model.dispose();
  best.dispose();

  if (verbose) printClosing(run.path, run.dir, run.storeDir, summary);
  return { runPath: run.path, runDir: run.dir, storeDir: run.storeDir, testAccuracy, bestTestAccuracy, summary };
}

function accuracy(model: tf.LayersModel, set: { x: tf.Tensor; y: tf.Tensor }): number {
  return tf.tidy(() => {
    const predicted = (model.predict(set.x) as tf.Tensor).argMax(-1);
    return predicted.equal(set.y.argMax(-1)).mean().dataSync()[0];
  });
}

function printClosing(path: string, runDir: string, storeDir: string, summary: Record<string, unknown>): void {
  const shown = Object.entries(summary)
    .filter(([key, value]) => typeof value === 'number' && (key.startsWith('epoch/') || key.startsWith('test/')))
    .map(([key, value]) => `  ${key.padEnd(28)} ${Number(value).toPrecision(4)}`);
  const fromHere = relative(process.cwd(), storeDir);
  const store = fromHere === '' ? '.' : fromHere.startsWith('..') ? storeDir : fromHere;
  const cli = resolve(process.cwd(), 'packages/cli/dist/bin.js');
  const runlog = existsSync(cli) ? `node ${relative(process.cwd(), cli)}` : 'runlog';
  console.log(`\nSummary of ${path}:\n${shown.join('\n')}`);
  console.log(`\nRun folder: ${runDir}`);
  console.log('Open it:');
  console.log(`  ${runlog} ui --dir ${store}          # the dashboard`);
  console.log(`  ${runlog} show ${path} --dir ${store}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
