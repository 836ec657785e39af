/// <reference lib="dom" />
// The test page: trains a small tfjs model (cpu backend) with @runlog/browser's callbacks, logging one image per
// epoch; the test drives it through window.runlogTest.
import * as tf from '@tensorflow/tfjs';
import { BrowserStore, callbacks, Image, init, pruneUploaded, resumeUploads } from '../../src/index.js';

interface TrainOptions {
  host: string;
  apiKey: string;
  project: string;
  id: string;
  epochs: number;
  epochPauseMs: number;
}

const state = {
  gate: Number.POSITIVE_INFINITY,
  epoch: -1,
  done: false,
  error: '' as string,
  resumed: undefined as unknown,
  upload: undefined as unknown,
};

async function train(options: TrainOptions): Promise<void> {
  await tf.setBackend('cpu');
  const run = await init({
    project: options.project,
    id: options.id,
    host: options.host,
    apiKey: options.apiKey,
    config: { epochs: options.epochs, units: 8 },
    syncTimeoutMs: 2000,
    resumePending: false,
  });
  setInterval(() => {
    state.upload = run.status().upload;
  }, 200);
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tf.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const xs = tf.randomNormal([64, 4], 0, 1, 'float32', 1);
  const ys = xs.sum(1, true);
  const images = new tf.CustomCallback({
    onEpochEnd: async (epoch) => {
      const pixels = tf.tidy(() => tf.fill([8, 8, 3], (epoch + 1) / (options.epochs + 1)));
      run.log({
        'sample/epoch': epoch,
        sample: new Image(pixels as unknown as tf.Tensor3D, { caption: `epoch ${epoch}` }),
      });
      pixels.dispose();
      console.log('epoch %d done: %o', epoch, { epoch }); // the page's console goes to the run's output
      state.epoch = epoch;
      await new Promise((resolve) => setTimeout(resolve, options.epochPauseMs));
      // The test holds training after an epoch until it opens the gate (so faults land at known epochs).
      while (epoch + 1 >= state.gate) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  });
  await model.fit(xs, ys, {
    epochs: options.epochs,
    batchSize: 16,
    callbacks: [...callbacks({ run, checkpoint: { monitor: 'loss' } }), images],
  });
  await run.finish();
  console.log('after finish'); // not captured: the run has ended
  state.done = true;
}

async function quota(options: { maxBytes: number; database: string }): Promise<unknown> {
  const run = await init({
    project: 'quota',
    database: options.database,
    maxBytes: options.maxBytes,
    flushIntervalMs: 60_000,
  });
  for (let i = 0; i < 20; i++) run.log({ loss: i, pad: 'x'.repeat(100) });
  await run.flush();
  const storedBefore = run.status().rowsStored;
  for (let i = 0; i < 2000; i++) run.log({ loss: i, pad: 'y'.repeat(100) });
  let code = '';
  try {
    await run.flush();
  } catch (error) {
    code = (error as { code?: string }).code ?? String(error);
  }
  const { BrowserStore } = await import('../../src/index.js');
  const store = await BrowserStore.open({ database: options.database });
  const record = (await store.run(`quota/${run.id}`))!;
  const bytes = await store.readStream(record.key, 'history', 0, record.streams.history ?? 0);
  const lines = new TextDecoder().decode(bytes).split('\n').filter(Boolean);
  return {
    code,
    storedBefore,
    lines: lines.length,
    status: { ...run.status(), lastError: run.status().lastError?.code },
    first: lines[0],
  };
}

/** Starts an online run and logs `rows` rows, stored but (the server being down) not uploaded; the tab then closes. */
async function abandon(options: { host: string; apiKey: string; id: string; rows: number }): Promise<number> {
  const run = await init({
    project: 'web',
    id: options.id,
    host: options.host,
    apiKey: options.apiKey,
    resumePending: false,
  });
  for (let i = 0; i < options.rows; i++) run.log({ loss: 1 / (i + 1) });
  await run.flush();
  return run.status().rowsStored;
}

/** Frees the runs the server has whole; reports the storage used before and after. */
async function prune(): Promise<{ removed: string[]; before: number; after: number; runs: number }> {
  const store = await BrowserStore.open();
  const before = await store.usage();
  const removed = await pruneUploaded();
  return { removed, before, after: await store.usage(), runs: (await store.runs()).length };
}

Object.assign(window, {
  runlogTest: {
    state,
    open: (gate: number) => {
      state.gate = gate;
    },
    start: (options: TrainOptions) => {
      train(options).catch((error: unknown) => {
        state.error = String((error as Error)?.stack ?? error);
      });
    },
    resume: async (options: { host: string; apiKey: string }) => {
      state.resumed = await resumeUploads({ ...options, timeoutMs: 90_000 });
      return state.resumed;
    },
    quota,
    abandon,
    prune,
  },
});
