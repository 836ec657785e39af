import { ceilToFloat32, computeHistogram, type HistogramData } from '@runlog/core';
import { type BinOn, tensorHistogram, tensorHistogramSync } from '@runlog/media';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from './helpers/tfBackends.js';

// media's tensor histogram is tested against core's computeHistogram, the numpy-exact CPU reference.

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Data meant to land on bin edges: values on a grid, exact edges, extremes, and non-finite ones. */
function adversarial(n: number, seed: number): Float32Array {
  const random = seeded(seed);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.3)
      values[i] = Math.round(random() * 64) / 64 - 0.5; // grid that hits edges
    else if (r < 0.6) values[i] = (random() - 0.5) * 1e-3;
    else values[i] = (random() - 0.5) * 2 ** (random() * 10 - 5);
  }
  return values;
}

type Reader = 'sync' | 'async';
const histogramOf = (reader: Reader, t: tf.Tensor, numBins: number, binOn: BinOn): Promise<HistogramData> =>
  reader === 'sync'
    ? Promise.resolve(tensorHistogramSync(t, { numBins, binOn }))
    : tensorHistogram(t, { numBins, binOn });

const CASES = (['cpu', 'wasm'] as const).flatMap((backend) =>
  (['backend', 'host'] as const).flatMap((binOn) =>
    (['sync', 'async'] as const).map((r) => [backend, binOn, r] as const),
  ),
);

describe.each(CASES)('tensorHistogram on %s, binned on %s, read %s', (backend, binOn, reader) => {
  it('equals numpy.histogram (core computeHistogram) on the same float32 data', async () => {
    await useBackend(backend);
    const cases: Float32Array[] = [
      adversarial(10_000, 1),
      adversarial(777, 2),
      Float32Array.from({ length: 129 }, (_, i) => i / 128), // every 2nd value is an edge
      Float32Array.from({ length: 1000 }, (_, i) => Math.fround(0.1 * (i % 17)) - 0.7),
      new Float32Array([3, 3, 3]),
      new Float32Array([-2.5, 1e-30, 7]),
    ];
    for (const data of cases) {
      const t = tf.tensor1d(data);
      const mine = await histogramOf(reader, t, 64, binOn);
      t.dispose();
      expect(mine).toEqual(computeHistogram(data));
      expect(mine.values.reduce((a, b) => a + b, 0)).toBe(data.length);
    }
  });

  it('counts NaN and Infinity apart and keeps the finite values exact', async () => {
    await useBackend(backend);
    const data = adversarial(5000, 3);
    data[10] = Number.NaN;
    data[20] = Number.POSITIVE_INFINITY;
    data[30] = Number.NEGATIVE_INFINITY;
    data[40] = Number.NaN;
    const t = tf.tensor2d(data, [50, 100]);
    const mine = await histogramOf(reader, t, 64, binOn);
    t.dispose();
    expect(mine.nanCount).toBe(2);
    expect(mine.infCount).toBe(2);
    expect(mine).toEqual(computeHistogram(data));
  });

  it('handles all-non-finite and int32 tensors and leaks no tensors', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const empty = tf.tensor1d([Number.NaN, Number.POSITIVE_INFINITY]);
    expect(await histogramOf(reader, empty, 64, binOn)).toEqual({
      _type: 'histogram',
      bins: [],
      values: [],
      nanCount: 1,
      infCount: 1,
    });
    const ints = tf.tensor1d([1, 5, 5, 9, -3], 'int32');
    expect(await histogramOf(reader, ints, 8, binOn)).toEqual(computeHistogram([1, 5, 5, 9, -3], 8));
    tf.dispose([empty, ints]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tensorHistogram on the backend', () => {
  it('downloads the same few bytes whatever the tensor size (counted at every tensor read)', async () => {
    await useBackend('cpu');
    const proto = tf.Tensor.prototype as unknown as { dataSync(): { byteLength: number } };
    const dataSync = proto.dataSync;
    let downloaded = 0;
    proto.dataSync = function (this: tf.Tensor) {
      const out = dataSync.call(this);
      downloaded += out.byteLength;
      return out;
    };
    try {
      const bytes: number[] = [];
      for (const size of [1_000, 200_000]) {
        const t = tf.randomNormal([size], 0, 1, 'float32', 5);
        downloaded = 0;
        const histogram = tensorHistogramSync(t, { numBins: 64, binOn: 'backend' });
        bytes.push(downloaded);
        expect(histogram).toEqual(computeHistogram(t.dataSync() as Float32Array));
        t.dispose();
      }
      // two int32 counts, the float32 min and max, 65 int32 bin counts (64 bins + the dropped non-finite slot)
      expect(bytes).toEqual([276, 276]);
    } finally {
      proto.dataSync = dataSync;
    }
  });
});

describe('ceilToFloat32', () => {
  it('returns the smallest float32 not below the value', () => {
    for (const v of [0.1, -0.1, 1 / 3, -1 / 3, 1e-40, -1e-40, 1, 0, 123456.789]) {
      const c = ceilToFloat32(v);
      expect(c).toBe(Math.fround(c));
      expect(c).toBeGreaterThanOrEqual(v);
      // one float32 below is below v
      const f = new Float32Array([c]);
      const b = new Int32Array(f.buffer);
      if (c > 0) b[0] -= 1;
      else if (c < 0) b[0] += 1;
      if (c !== 0) expect(f[0]).toBeLessThan(v);
    }
  });
});
