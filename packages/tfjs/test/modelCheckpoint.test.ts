import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, ModelCheckpoint } from '../src/index.js';
import { BACKENDS, type BackendName, useBackend } from './backends.js';
import { tinyClassifier, toyData } from './models.js';
import { jsonLinesOf, tempStore, testRun } from './runs.js';

const store = await tempStore();
afterAll(store.cleanup);

async function versionJson(project: string, name: string, version: number) {
  const path = join(store.dir, project, 'artifacts', name, 'versions', `v${version}`, 'version.json');
  return JSON.parse(await readFile(path, 'utf8'));
}

async function aliasesOf(project: string, name: string): Promise<Record<string, number>> {
  return JSON.parse(await readFile(join(store.dir, project, 'artifacts', name, 'aliases.json'), 'utf8'));
}

const other = (b: BackendName): BackendName => (b === 'cpu' ? 'wasm' : 'cpu');

describe.each(BACKENDS)('ModelCheckpoint on %s', (backend) => {
  it('saveBestOnly keeps only improvements; best reloads bit-identically, on either backend', async () => {
    await useBackend(backend);
    const project = `ckpt-${backend}`;
    const run = await testRun(store.dir, project);
    const model = tinyClassifier({ lr: 0.3 }); // a high rate makes val_loss go up and down
    const { x, y } = toyData(80);
    const checkpoint = new ModelCheckpoint({ run, saveBestOnly: true, name: 'clf' });
    let bestPrediction: Buffer | undefined;
    const probe = toyData(8, { seed: 5 }).x;
    const valSoFar: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 6,
      batchSize: 16,
      validationSplit: 0.25,
      verbose: 0,
      shuffle: false, // fit's shuffle uses Math.random: with it, val_loss sometimes improved every epoch
      callbacks: [
        checkpoint,
        new tf.CustomCallback({
          onEpochEnd: async (_epoch, logs) => {
            if (logs!.val_loss <= Math.min(...valSoFar, logs!.val_loss)) {
              bestPrediction = Buffer.from((model.predict(probe) as tf.Tensor).dataSync().buffer);
            }
            valSoFar.push(logs!.val_loss);
          },
        }),
      ],
    });
    await run.flush(); // fit does not wait for the last checkpoint to be committed; flush does
    const val = history.history.val_loss as number[];
    const improvements = val.flatMap((v, i) => (val.slice(0, i).every((u) => v < u) ? [i] : []));
    expect(improvements.length).toBeLessThan(val.length); // the test needs at least one non-improving epoch
    expect(checkpoint.saved.map((s) => s.epoch)).toEqual(improvements);

    const aliases = await aliasesOf(project, 'clf');
    expect(Object.keys(aliases).length).toBeGreaterThan(0);
    const newest = improvements.length - 1; // versions count from v0
    expect(aliases.latest).toBe(newest);
    expect(aliases.best).toBe(newest);
    const last = improvements.at(-1)!;
    expect(aliases[`epoch-${last}`]).toBe(newest);
    const version = await versionJson(project, 'clf', newest);
    expect(version.type).toBe('model');
    expect(version.metadata).toMatchObject({ epoch: last, monitor: 'val_loss', mode: 'min', best: true });
    expect(version.metadata.value).toBe(val[last]);

    await useBackend(other(backend));
    const loaded = await loadModel(run, 'clf:best');
    await useBackend(backend);
    const reloaded = await loadModel(run, 'clf:best');
    const prediction = Buffer.from((reloaded.predict(probe) as tf.Tensor).dataSync().buffer);
    expect(prediction).toEqual(bestPrediction);
    expect(loaded.predict(probe)).toBeDefined();
    await run.finish();
    const used = (await jsonLinesOf(run, 'artifacts.jsonl')).filter((l) => l.direction === 'used');
    expect(used[0].artifact).toBe(`${project}/clf:v${newest}`);
    tf.dispose([x, y, probe]);
    for (const m of [model, loaded, reloaded]) m.dispose();
  });
});

describe('ModelCheckpoint', () => {
  it('saves every N epochs with latest/epoch-N aliases, saveTopK, and loads from a folder path', async () => {
    await useBackend('wasm');
    const project = 'ckpt-every';
    const run = await testRun(store.dir, project);
    const model = tinyClassifier();
    const { x, y } = toyData(48);
    const every = new ModelCheckpoint({ run, monitor: 'loss', everyNEpochs: 2, name: 'every' });
    const top = new ModelCheckpoint({ run, monitor: 'acc', saveTopK: 1, name: 'top' });
    expect(top.mode).toBe('max');
    const history = await model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, callbacks: [every, top] });
    await every.settled();
    await top.settled();
    expect(every.saved.map((s) => s.epoch)).toEqual([1, 3]);
    const aliases = await aliasesOf(project, 'every');
    expect(aliases).toMatchObject({ latest: 1, 'epoch-1': 0, 'epoch-3': 1 });
    const acc = history.history.acc as number[];
    const topEpochs = acc.flatMap((v, i) => (acc.slice(0, i).every((u) => v > u) ? [i] : []));
    expect(top.saved.map((s) => s.epoch)).toEqual(topEpochs);

    const folder = await run.useModel('every:latest');
    const fromPath = await loadModel(folder);
    const a = (fromPath.predict(x) as tf.Tensor).dataSync();
    const b = (model.predict(x) as tf.Tensor).dataSync();
    expect(Buffer.from(a.buffer)).toEqual(Buffer.from(b.buffer));
    await run.finish();
    tf.dispose([x, y]);
    model.dispose();
    fromPath.dispose();
  });
});
