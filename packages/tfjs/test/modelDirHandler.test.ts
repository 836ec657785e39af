import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { modelDirHandler } from '../src/modelDirHandler.js';
import { BACKENDS, useBackend } from './backends.js';
import { tinyClassifier, toyData } from './models.js';

const root = await mkdtemp(join(tmpdir(), 'runlog-tfjs-dir-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe.each(BACKENDS)('modelDirHandler on %s', (backend) => {
  it('writes tfjs-node file:// layout and reloads a model that predicts bit-identically', async () => {
    await useBackend(backend);
    const model = tinyClassifier();
    const { x, y } = toyData(64);
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const dir = join(root, backend);
    await model.save(modelDirHandler(dir));

    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['modelTopology', 'format', 'generatedBy', 'convertedBy', 'weightsManifest']);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const bin = await readFile(join(dir, 'weights.bin'));
    const expectedBytes = model.getWeights().reduce((n, w) => n + w.size * 4, 0);
    expect(bin.length).toBe(expectedBytes);

    const loaded = await tf.loadLayersModel(modelDirHandler(dir));
    const before = (model.predict(x) as tf.Tensor).dataSync();
    const after = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Buffer.from(after.buffer)).toEqual(Buffer.from(before.buffer));
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });
});
