import { Callback, HOOK_NAMES, type HookEvent, type HookName } from '@runlog/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  callbacks,
  HookRelay,
  MetricsLogger,
  ModelCheckpoint,
  PredictionLogger,
  RunlogCallback,
} from '../src/index.js';
import { BACKENDS, useBackend } from './backends.js';
import { HookRecorder, TRAINING_HOOKS } from './hookRecorder.js';
import { tinyClassifier, toyData } from './models.js';
import { historyOf, tempStore, testRun } from './runs.js';

const store = await tempStore();
afterAll(store.cleanup);

describe.each(BACKENDS)('HookRelay on %s', (backend) => {
  it('hands the hooks plain-number logs, batch and epoch sample counts and the learning rate', async () => {
    await useBackend(backend);
    const run = await testRun(store.dir);
    const recorder = new HookRecorder();
    const model = tinyClassifier({ lr: 0.05 });
    const { x, y } = toyData(32);
    const history = await model.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.25, // 24 training samples: batches of 16 and 8
      verbose: 0,
      callbacks: [new HookRelay({ run, callbacks: [recorder] })],
    });
    await run.finish();
    const batches = recorder.calls.filter((c) => c.name === 'trainBatchEnd').map((c) => c.event);
    expect(batches.map((e) => [e.epoch, e.batch, e.samples])).toEqual([
      [0, 0, 16],
      [0, 1, 8],
      [1, 0, 16],
      [1, 1, 8],
    ]);
    for (const event of batches) {
      expect(event.learningRate).toBeCloseTo(0.05, 6);
      expect(typeof (event.logs as Record<string, unknown>).loss).toBe('number');
    }
    const epochs = recorder.calls.filter((c) => c.name === 'trainEpochEnd').map((c) => c.event);
    expect(epochs.map((e) => e.samples)).toEqual([24, 24]);
    expect(epochs.map((e) => (e.logs as Record<string, number>).val_loss)).toEqual(history.history.val_loss);
    expect(epochs[0].learningRate).toBeCloseTo(0.05, 6);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('HookRelay', () => {
  it("drives its callbacks during its fits only: they are off the run's hooks after teardown", async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const recorder = new HookRecorder();
    const model = tinyClassifier();
    const { x, y } = toyData(16);
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new HookRelay({ run, callbacks: [recorder] })] });
    const during = recorder.calls.length;
    expect(recorder.names().at(-1)).toBe('teardown');
    expect(run.hooks.has('trainEpochEnd')).toBe(false);
    run.hooks.call('trainEpochEnd', { epoch: 9, logs: {} });
    expect(recorder.calls.length).toBe(during);
    await run.finish();
    tf.dispose([x, y]);
    model.dispose();
  });

  it.each([
    [
      'loggers passed on their own',
      () => [new MetricsLogger({ progress: false }), new ModelCheckpoint({ monitor: 'loss' })],
    ],
    ['a relay after a logger', () => [new MetricsLogger({ progress: false }), new HookRelay()]],
    [
      'callbacks() and a second relay of its own',
      () => [...callbacks({ progress: false, checkpoint: false }), new HookRelay({ callbacks: [new HookRecorder()] })],
    ],
  ])('one relay drives a fit per run: %s', async (_label, make) => {
    await useBackend('cpu');
    const run = await testRun(store.dir); // the current run: the callbacks below find it
    const recorder = new HookRecorder();
    run.hooks.addCallback(recorder);
    const model = tinyClassifier();
    const { x, y } = toyData(16);
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: make() as tf.Callback[] });
    await run.finish();
    expect(recorder.names().filter((n) => n === 'fitStart')).toHaveLength(1);
    expect(recorder.names().filter((n) => n === 'trainEpochEnd')).toHaveLength(2);
    expect(recorder.names().filter((n) => n === 'trainBatchEnd')).toHaveLength(4);
    const rows = await historyOf(run);
    expect(rows.filter((row) => 'epoch/epoch' in row).map((row) => row['epoch/epoch'])).toEqual([0, 1]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a relay that finds another driving hands it its callbacks and stays quiet', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const first = new HookRecorder();
    const second = new HookRecorder();
    const model = tinyClassifier();
    const { x, y } = toyData(16);
    await model.fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: [new HookRelay({ run, callbacks: [first] }), new HookRelay({ run, callbacks: [second] })],
    });
    await run.finish();
    expect(second.names()).toEqual(first.names());
    expect(first.names().filter((n) => n === 'trainEpochEnd')).toHaveLength(2);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a beforeOptimizerStep handler that throws or rejects never skips the step: counted and reported', async () => {
    await useBackend('cpu');
    const { x, y } = toyData(32);
    const fit = (model: tf.LayersModel, relay: HookRelay) =>
      model.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0, callbacks: [relay] });
    const run = await testRun(store.dir);
    run.hooks.hook('beforeOptimizerStep', ({ step }) => {
      if (step % 2 === 0) throw new Error(`sync trouble at step ${step}`);
      return Promise.reject(new Error(`async trouble at step ${step}`));
    });
    const hooked = tinyClassifier({ seed: 3 });
    await fit(hooked, new HookRelay({ run }));
    await run.finish();
    const plainRun = await testRun(store.dir);
    const plain = tinyClassifier({ seed: 3 });
    await fit(plain, new HookRelay({ run: plainRun }));
    await plainRun.finish();
    // 4 steps, each applied: the weights are bit-identical to a fit without the throwing handler
    const bytes = (model: tf.LayersModel) => model.getWeights().map((w) => Buffer.from(w.dataSync().buffer));
    expect(bytes(hooked)).toEqual(bytes(plain));
    const errors = run.status().errors.filter((e) => e.context === 'hook beforeOptimizerStep');
    expect(errors.map((e) => e.message).sort()).toEqual([
      'async trouble at step 1',
      'async trouble at step 3',
      'sync trouble at step 0',
      'sync trouble at step 2',
    ]);
    tf.dispose([x, y]);
    hooked.dispose();
    plain.dispose();
  });

  it("a logger's own failure is reported on the run and training goes on", async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const { x, y } = toyData(16);
    const wrongShape = tf.zeros([2, 7]); // the model takes 4 features: predict throws at every epoch end
    const history = await model.fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: callbacks({ run, progress: false, checkpoint: false, predictions: { x: wrongShape } }),
    });
    await run.finish();
    expect(history.epoch).toEqual([0, 1]);
    const contexts = run.status().errors.map((e) => e.context);
    expect(contexts).toEqual(['PredictionLogger.trainEpochEnd', 'PredictionLogger.trainEpochEnd']);
    const rows = await historyOf(run);
    expect(rows.filter((row) => 'epoch/loss' in row)).toHaveLength(2); // MetricsLogger went on
    tf.dispose([x, y, wrongShape]);
    model.dispose();
  });
});

describe("runlog's loggers are core callbacks", () => {
  const LOGGERS = [MetricsLogger, ModelCheckpoint, PredictionLogger];

  it('every hook method they implement is a core hook, and each fires in a fit', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const { x, y } = toyData(16);
    const list = callbacks({
      run,
      progress: false,
      checkpoint: { monitor: 'loss' },
      predictions: { x: x.slice(0, 2), y: y.slice(0, 2) },
    });
    const fired = new Map<string, number>();
    for (const logger of list.slice(1)) {
      const proto = Object.getPrototypeOf(logger);
      // The logger's own hooks and those of its shared base (ModelCheckpoint's are on CheckpointCallback).
      const own: string[] = [];
      for (let p = proto; p && p !== RunlogCallback.prototype; p = Object.getPrototypeOf(p)) {
        for (const name of Object.getOwnPropertyNames(p)) {
          if (/(Start|End|setup|teardown|exception)$/.test(name) && !own.includes(name)) own.push(name);
        }
      }
      // Hook-like names that are not core hooks would never be called: the docs and the adapter drifted apart.
      expect(own.filter((name) => !(HOOK_NAMES as readonly string[]).includes(name))).toEqual([]);
      expect(own.length).toBeGreaterThan(0);
      for (const name of own as HookName[]) {
        const key = `${logger.constructor.name}.${name}`;
        const method = proto[name] as (event: unknown) => unknown;
        fired.set(key, 0);
        Object.defineProperty(logger, name, {
          value: (event: unknown) => {
            fired.set(key, (fired.get(key) ?? 0) + 1);
            return method.call(logger, event);
          },
        });
      }
    }
    expect(LOGGERS.every((Logger) => list.some((c) => c instanceof Logger))).toBe(true);
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: list as tf.Callback[] });
    await run.finish();
    expect([...fired].filter(([, count]) => count === 0)).toEqual([]);
    expect([...fired.keys()].sort()).toEqual([
      'MetricsLogger.fitStart',
      'MetricsLogger.trainBatchEnd',
      'MetricsLogger.trainEpochEnd',
      'MetricsLogger.trainEpochStart',
      'ModelCheckpoint.fitStart',
      'ModelCheckpoint.trainEpochEnd',
      'PredictionLogger.fitStart',
      'PredictionLogger.trainEpochEnd',
    ]);
    expect(run.status().errors).toEqual([]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a custom loop reuses them: registered on run.hooks, driven by run.hooks.call', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const model = tinyClassifier();
    const optimizer = tf.train.sgd(0.1);
    const metrics = new MetricsLogger({ run, logFreq: 'batch', progress: false });
    const checkpoint = new ModelCheckpoint({ run, monitor: 'loss', name: 'custom-loop' });
    run.hooks.addCallback(metrics);
    run.hooks.addCallback(checkpoint);
    const { x, y } = toyData(16);
    await run.hooks.call('fitStart', { epochs: 2, stepsPerEpoch: 2, model });
    for (let epoch = 0; epoch < 2; epoch++) {
      await run.hooks.call('trainEpochStart', { epoch });
      let sum = 0;
      for (let batch = 0; batch < 2; batch++) {
        const xs = x.slice(batch * 8, 8);
        const ys = y.slice(batch * 8, 8);
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor),
          true,
        ) as tf.Scalar;
        const value = loss.dataSync()[0];
        sum += value;
        tf.dispose([xs, ys, loss]);
        await run.hooks.call('trainBatchEnd', { epoch, batch, logs: { loss: value }, samples: 8, learningRate: 0.1 });
      }
      await run.hooks.call('trainEpochEnd', { epoch, logs: { loss: sum / 2 }, samples: 16, learningRate: 0.1 });
    }
    await checkpoint.settled();
    await run.finish();
    const rows = await historyOf(run);
    const epochRows = rows.filter((row) => 'epoch/epoch' in row);
    expect(epochRows.map((row) => row['epoch/learning_rate'])).toEqual([0.1, 0.1]);
    expect(epochRows.every((row) => (row['epoch/samples_per_sec'] as number) > 0)).toBe(true);
    expect(rows.filter((row) => 'batch/batch_step' in row).map((row) => row['batch/batch_step'])).toEqual([0, 1, 2, 3]);
    expect(checkpoint.saved.map((s) => [s.epoch, s.version])).toEqual([
      [0, 'v0'],
      [1, 'v1'],
    ]);
    expect(run.status().errors).toEqual([]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a core Callback subclass and a logger side by side see the same events', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const epochs: number[] = [];
    class Epochs extends Callback {
      override trainEpochEnd({ epoch }: HookEvent<'trainEpochEnd'>) {
        epochs.push(epoch);
      }
    }
    run.hooks.addCallback(new Epochs());
    const model = tinyClassifier();
    const { x, y } = toyData(16);
    await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new MetricsLogger({ run, progress: false })] });
    await run.finish();
    expect(epochs).toEqual([0, 1, 2]);
    expect((await historyOf(run)).filter((row) => 'epoch/epoch' in row)).toHaveLength(3);
    expect(TRAINING_HOOKS.length).toBeGreaterThan(0);
    tf.dispose([x, y]);
    model.dispose();
  });
});
