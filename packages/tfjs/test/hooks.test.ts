import { Callback, HOOK_NAMES, type HookEvent, type HookName } from '@runlog/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { callbacks, MetricsLogger, ModelCheckpoint, unwatch, watch } from '../src/index.js';
import { useBackend } from './backends.js';
import { tinyClassifier, toyData } from './models.js';
import { tempStore, testRun } from './runs.js';

const store = await tempStore();
afterAll(store.cleanup);

/** The hooks a fit emits: every hook of core but the predict ones (the onnx adapter's). */
const TRAINING_HOOKS = HOOK_NAMES.filter((name) => !name.startsWith('predict'));

/** A core Callback that records every hook it receives, written once against core only. */
class Recorder extends Callback {
  readonly calls: Array<{ name: HookName; event: Record<string, unknown> }> = [];
}
for (const name of HOOK_NAMES) {
  Object.defineProperty(Recorder.prototype, name, {
    value(this: Recorder, event: HookEvent<typeof name>) {
      this.calls.push({ name, event: event as unknown as Record<string, unknown> });
    },
  });
}

describe('core hooks inside model.fit', () => {
  it('fires every training hook, in Lightning order, once per fit however many runlog callbacks', async () => {
    await useBackend('wasm');
    const run = await testRun(store.dir);
    const recorder = new Recorder();
    run.hooks.addCallback(recorder);
    const model = tinyClassifier();
    const { x, y } = toyData(32);
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: callbacks({ run, progress: false, checkpoint: { name: 'hooked' } }),
    });
    // exception: a handler that throws fails the fit after exception and teardown were emitted
    const failing = run.hooks.hook('trainBatchEnd', () => {
      throw new Error('boom in a hook');
    });
    await expect(
      model.fit(x, y, {
        epochs: 1,
        batchSize: 16,
        verbose: 0,
        callbacks: [new MetricsLogger({ run, progress: false })],
      }),
    ).rejects.toThrow('boom in a hook');
    failing();
    await run.finish();
    expect(run.status().errors).toEqual([]); // checkpoints still committing when finish() began were kept

    const fired = new Set(recorder.calls.map((c) => c.name));
    expect(TRAINING_HOOKS.filter((name) => !fired.has(name))).toEqual([]);
    const firstFit = recorder.calls.slice(0, recorder.calls.findIndex((c) => c.name === 'teardown') + 1);
    // saveCheckpoint fires when a checkpoint is committed, in the background: not part of fit's order
    const names = firstFit.map((c) => c.name).filter((name) => name !== 'saveCheckpoint');
    expect(names.slice(0, 5)).toEqual(['setup', 'fitStart', 'trainStart', 'trainEpochStart', 'trainBatchStart']);
    expect(names.slice(-3)).toEqual(['trainEnd', 'fitEnd', 'teardown']);
    expect(names.filter((n) => n === 'trainEpochEnd')).toHaveLength(2); // once, not once per callback
    expect(names.filter((n) => n === 'trainBatchEnd')).toHaveLength(4); // 24 samples / 16 -> 2 batches x 2 epochs
    expect(names.filter((n) => n === 'beforeOptimizerStep')).toHaveLength(4);
    // the order of one batch and one epoch end
    const batch = names.indexOf('trainBatchStart');
    expect(names.slice(batch, batch + 3)).toEqual(['trainBatchStart', 'beforeOptimizerStep', 'trainBatchEnd']);
    const epochEnd = names.indexOf('trainEpochEnd');
    expect(names.slice(epochEnd - 2, epochEnd + 1)).toEqual(['validationStart', 'validationEnd', 'trainEpochEnd']);
    const validationEnd = firstFit.find((c) => c.name === 'validationEnd')!.event;
    expect(Object.keys(validationEnd.logs as object).sort()).toEqual(['val_acc', 'val_loss']);
    const fitStart = firstFit.find((c) => c.name === 'fitStart')!.event;
    expect(fitStart).toMatchObject({ epochs: 2, batchSize: 16, samples: 24 });
    expect(fitStart.run).toBe(run);
    const saved = recorder.calls.filter((c) => c.name === 'saveCheckpoint');
    expect(saved.length).toBeGreaterThan(0);
    expect(saved[0].event).toMatchObject({ epoch: 0, artifact: 'tfjs-test/hooked:v0' });
    const exception = recorder.calls.find((c) => c.name === 'exception')!.event;
    expect((exception.error as Error).message).toBe('boom in a hook');
    expect(recorder.calls.filter((c) => c.name !== 'saveCheckpoint').at(-1)!.name).toBe('teardown');
    // the hook relay left the optimizer as it was
    expect(Object.hasOwn(model.optimizer, 'applyGradients')).toBe(false);
    tf.dispose([x, y]);
    model.dispose();
  });

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

  it('ModelCheckpoint alone also emits the hooks', async () => {
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
