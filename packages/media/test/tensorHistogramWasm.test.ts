import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Histogram } from '@runlog/media';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { referenceHistogram } from './helpers/referenceHistogram.js';

// The wasm backend has no UnsortedSegmentSum kernel: tensor histograms fall back to per-edge comparisons there.
describe('Histogram on the wasm backend', () => {
  it('bins on the device with exactly the CPU result', async () => {
    const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(`${wasmDir}/`);
    expect(await tf.setBackend('wasm')).toBe(true);
    const values = new Float32Array(3000);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 0.37) * 5 + (i % 7 === 0 ? 0.25 : 0);
    values[10] = Number.NaN;
    values[11] = Number.POSITIVE_INFINITY;
    const tensor = tf.tensor1d(values);
    const got = await new Histogram(tensor, { numBins: 40 }).compute();
    tensor.dispose();
    const want = referenceHistogram(values, 40);
    expect(got.bins).toEqual(want.bins);
    expect(got.values).toEqual(want.values);
    expect([got.nanCount, got.infCount]).toEqual([1, 1]);
  });
});
