/// <reference lib="dom" />
// The watch test page: trains a small tfjs model (cpu backend) with @runlog/browser's callbacks and
// `watch(model, { log: 'all', logFreq })`, streaming to a runlog server; the test drives it through window.watchTest.
import * as tf from '@tensorflow/tfjs';
import { callbacks, init, isWatched, watch } from '../../src/index.js';

interface WatchRunOptions {
  host: string;
  apiKey: string;
  project: string;
  id: string;
  epochs: number;
  logFreq: number;
}

async function train(options: WatchRunOptions) {
  await tf.setBackend('cpu');
  const run = await init({
    project: options.project,
    id: options.id,
    host: options.host,
    apiKey: options.apiKey,
    syncTimeoutMs: 30_000,
    resumePending: false,
  });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu', name: 'hidden' }),
      tf.layers.dense({ units: 1, name: 'out' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const optimizer = model.optimizer;
  // logGraph writes a file in Node: in a page it is refused at the call, and nothing is watched.
  let logGraphError = '';
  try {
    watch(model, { run, logGraph: true });
  } catch (error) {
    logGraphError = (error as { code?: string }).code ?? String(error);
  }
  const watchedAfterRefusal = isWatched(model);
  watch(model, { run, log: 'all', logFreq: options.logFreq });
  const tapped = Object.hasOwn(optimizer, 'applyGradients');
  const xs = tf.randomNormal([64, 4], 0, 1, 'float32', 1);
  const ys = xs.sum(1, true);
  await model.fit(xs, ys, {
    epochs: options.epochs,
    batchSize: 16,
    shuffle: false,
    callbacks: callbacks({ run, checkpoint: false }),
  });
  await run.finish();
  const sizes = Object.fromEntries(
    model.weights.map((w) => [w.name, w.shape.reduce<number>((a, b) => a * (b ?? 1), 1)]),
  );
  return {
    logGraphError,
    watchedAfterRefusal,
    tapped,
    // The run's finish unwatches: the optimizer is the prototype's again.
    watchedAfterFinish: isWatched(model),
    restored: !Object.hasOwn(optimizer, 'applyGradients'),
    sizes,
    status: { ...run.status(), lastError: run.status().lastError?.message },
  };
}

Object.assign(window, { watchTest: { train } });
