import type { Run } from '@runlog/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacks, MetricsLogger, ModelCheckpoint, unwatch, watch } from '../src/index.js';
import { useBackend } from './backends.js';
import { HookRecorder, TRAINING_HOOKS } from './hookRecorder.js';
import { tinyClassifier, toyData } from './models.js';
import { tempStore, testRun } from './runs.js';

const store = await tempStore();
afterAll(store.cleanup);

describe('core hooks inside model.fit with callbacks()', () => {
  const recorder = new HookRecorder();
  let run: Run;
  let model: tf.LayersModel;
  let failure: unknown;
  /** The hooks of the first (successful) fit, up to its teardown. */
  let firstFit: HookRecorder['calls'];
  /** Their names, without saveCheckpoint (it fires when a checkpoint is committed, in the background). */
  let names: string[];

  beforeAll(async () => {
    await useBackend('wasm');
    run = await testRun(store.dir);
    run.hooks.addCallback(recorder);
    model = tinyClassifier();
    const { x, y } = toyData(32);
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: callbacks({ run, progress: false, checkpoint: { name: 'hooked' } }),
    });
    // A second fit whose hook handler throws.
    const failing = run.hooks.hook('trainBatchEnd', () => {
      throw new Error('boom in a hook');
    });
    failure = await model
      .fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, callbacks: [new MetricsLogger({ run, progress: false })] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    failing();
    await run.finish();
    tf.dispose([x, y]);
    firstFit = recorder.calls.slice(0, recorder.names().indexOf('teardown') + 1);
    names = firstFit.map((c) => c.name).filter((name) => name !== 'saveCheckpoint');
  });
  afterAll(() => model.dispose());

  it('fires every training hook', () => {
    const fired = new Set(recorder.names());
    expect(TRAINING_HOOKS.filter((name) => !fired.has(name))).toEqual([]);
  });

  it('starts in Lightning order: setup, fitStart, trainStart, then the first epoch and batch', () => {
    expect(names.slice(0, 5)).toEqual(['setup', 'fitStart', 'trainStart', 'trainEpochStart', 'trainBatchStart']);
  });

  it('runs a batch as trainBatchStart, beforeOptimizerStep, trainBatchEnd', () => {
    const batch = names.indexOf('trainBatchStart');
    expect(names.slice(batch, batch + 3)).toEqual(['trainBatchStart', 'beforeOptimizerStep', 'trainBatchEnd']);
  });

  it('emits each epoch and batch once, however many runlog callbacks the fit has', () => {
    expect(names.filter((n) => n === 'trainEpochEnd')).toHaveLength(2);
    expect(names.filter((n) => n === 'trainBatchEnd')).toHaveLength(4); // 24 samples / 16 -> 2 batches x 2 epochs
    expect(names.filter((n) => n === 'beforeOptimizerStep')).toHaveLength(4);
  });

  it('emits validationStart and validationEnd before trainEpochEnd, with the val_ logs', () => {
    const epochEnd = names.indexOf('trainEpochEnd');
    expect(names.slice(epochEnd - 2, epochEnd + 1)).toEqual(['validationStart', 'validationEnd', 'trainEpochEnd']);
    const validationEnd = firstFit.find((c) => c.name === 'validationEnd')!.event;
    expect(Object.keys(validationEnd.logs as object).sort()).toEqual(['val_acc', 'val_loss']);
  });

  it('fitStart carries epochs, batch size, samples, batches per epoch, the model and the run', () => {
    const fitStart = recorder.first('fitStart');
    expect(fitStart).toMatchObject({ epochs: 2, batchSize: 16, samples: 24, stepsPerEpoch: 2 });
    // tfjs hands callbacks the LayersModel that trains (a Sequential's inner model): the same weights
    const trained = fitStart.model as tf.LayersModel;
    expect(trained).toBeInstanceOf(tf.LayersModel);
    expect(trained.trainableWeights.map((w) => w.name)).toEqual(model.trainableWeights.map((w) => w.name));
    expect(fitStart.run).toBe(run);
  });

  it('ends with trainEnd, fitEnd, teardown and leaves the optimizer as it was', () => {
    expect(names.slice(-3)).toEqual(['trainEnd', 'fitEnd', 'teardown']);
    expect(Object.hasOwn(model.optimizer, 'applyGradients')).toBe(false);
  });

  it('saveCheckpoint fires when a checkpoint is committed, in the background', () => {
    const saved = recorder.calls.filter((c) => c.name === 'saveCheckpoint');
    expect(saved.length).toBeGreaterThan(0);
    expect(saved[0].event).toMatchObject({ epoch: 0, artifact: 'tfjs-test/hooked:v0' });
  });

  it('a handler that throws fails the fit, after exception and teardown', () => {
    expect((failure as Error).message).toBe('boom in a hook');
    const exception = recorder.first('exception');
    expect((exception.error as Error).message).toBe('boom in a hook');
    expect(recorder.calls.filter((c) => c.name !== 'saveCheckpoint').at(-1)!.name).toBe('teardown');
  });

  it("reports no error of runlog's own (checkpoints committing when finish() began were kept)", () => {
    expect(run.status().errors).toEqual([]);
  });
});

describe('core hooks outside callbacks()', () => {
  it('emits beforeOptimizerStep in a custom loop while the model is watched', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const steps: Array<{ step: number; names: string[] }> = [];
    run.hooks.hook('beforeOptimizerStep', ({ step, gradients }) => {
      steps.push({ step, names: Object.keys(gradients) });
    });
    const model = tinyClassifier();
    const optimizer = tf.train.adam(0.01);
    const { x, y } = toyData(16);
    watch(model, { run, optimizer, log: false });
    for (let i = 0; i < 2; i++) optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor));
    unwatch(model);
    optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor));
    await run.finish();
    expect(steps.map((s) => s.step)).toEqual([0, 1]);
    expect(steps[0].names).toEqual(model.trainableWeights.map((w) => w.name));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('ModelCheckpoint alone also emits the hooks (it brings a relay)', async () => {
    await useBackend('cpu');
    const run = await testRun(store.dir);
    const seen: string[] = [];
    run.hooks.hook('trainEpochEnd', ({ epoch }) => {
      seen.push(`epoch ${epoch}`);
    });
    const model = tinyClassifier();
    const { x, y } = toyData(16);
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new ModelCheckpoint({ run, monitor: 'loss' })] });
    await run.finish();
    expect(seen).toEqual(['epoch 0', 'epoch 1']);
    tf.dispose([x, y]);
    model.dispose();
  });
});
