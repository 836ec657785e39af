import { Histogram, MediaInvalidError } from '@runlog/media';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceHistogram } from './helpers/referenceHistogram.js';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Histogram', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => tf.disposeVariables());

  it('matches hand-checked numpy results', async () => {
    // numpy.histogram([1, 2, 2, 3, 4], bins=3) -> counts [1, 2, 2], edges [1, 2, 3, 4]
    const h = await new Histogram([1, 2, 2, 3, 4], { numBins: 3 }).compute();
    expect(h.bins).toEqual([1, 2, 3, 4]);
    expect(h.values).toEqual([1, 2, 2]);
    // numpy.histogram([0, 0.1, 0.2, 0.3], bins=3): edges [0, 0.1, 0.2, 0.30000000000000004 -> 0.3], counts [1, 1, 2]
    const g = await new Histogram([0, 0.1, 0.2, 0.3], { numBins: 3 }).compute();
    expect(g.values).toEqual([1, 1, 2]);
    expect(g.bins[3]).toBe(0.3);
  });

  it('excludes and counts NaN and ±Infinity; min == max gives one bin; no finite value gives none', async () => {
    const h = await new Histogram([Number.NaN, 5, Number.POSITIVE_INFINITY, 5, Number.NEGATIVE_INFINITY]).compute();
    expect(h).toMatchObject({ bins: [4.5, 5.5], values: [2], nanCount: 1, infCount: 2 });
    const empty = await new Histogram([Number.NaN]).compute();
    expect(empty).toMatchObject({ bins: [], values: [], nanCount: 1, infCount: 0 });
  });

  it('agrees with an independent reference on random arrays', async () => {
    const random = seeded(7);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(random() * 500);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const r = random();
        values[i] =
          r < 0.03 ? Number.NaN : r < 0.05 ? Number.POSITIVE_INFINITY : (random() - 0.3) * 10 ** ((trial % 7) - 3);
      }
      const numBins = 1 + Math.floor(random() * 100);
      const got = await new Histogram(values, { numBins }).compute();
      const want = referenceHistogram(values, numBins);
      expect(got.bins).toEqual(want.bins);
      expect(got.values).toEqual(want.values);
      expect([got.nanCount, got.infCount]).toEqual([want.nanCount, want.infCount]);
    }
  });

  it('bins a tfjs tensor on its backend with exactly the same result as on the CPU', async () => {
    const random = seeded(11);
    for (let trial = 0; trial < 12; trial++) {
      const values = new Float32Array(2000);
      for (let i = 0; i < values.length; i++) values[i] = random() < 0.01 ? Number.NaN : (random() - 0.5) * 3 ** trial;
      values[3] = Number.NEGATIVE_INFINITY;
      const tensor = tf.tensor2d(values, [40, 50]);
      const numBins = 1 + ((trial * 37) % 200);
      const histogram = new Histogram(tensor, { numBins });
      tensor.dispose(); // the histogram keeps its own reference
      const got = await histogram.compute();
      const want = referenceHistogram(values, numBins);
      expect(got.bins).toEqual(want.bins);
      expect(got.values).toEqual(want.values);
      expect([got.nanCount, got.infCount]).toEqual([want.nanCount, want.infCount]);
    }
    const ints = tf.tensor1d([3, 1, 4, 1, 5, 9, 2, 6], 'int32');
    expect((await new Histogram(ints, { numBins: 4 }).compute()).values).toEqual(
      referenceHistogram([3, 1, 4, 1, 5, 9, 2, 6], 4).values,
    );
    ints.dispose();
  });

  it('downloads only the counts: no tensor is left behind', async () => {
    const tensor = tf.randomNormal([1000]);
    const before = tf.memory().numTensors;
    await new Histogram(tensor).compute();
    expect(tf.memory().numTensors).toBe(before);
    tensor.dispose();
  });

  it('writes the history JSON core documents', async () => {
    const ref = await new Histogram([1, 2, 3], { numBins: 2 }).toMediaRef();
    expect(ref).toEqual({ _type: 'histogram', bins: [1, 2, 3], values: [1, 2], nanCount: 0, infCount: 0 });
  });

  it('fromCounts and bad input', async () => {
    expect((await Histogram.fromCounts([1, 2], [0, 1, 2]).compute()).values).toEqual([1, 2]);
    expect(() => Histogram.fromCounts([1, 2], [0, 1])).toThrow(MediaInvalidError);
    expect(() => new Histogram([1, 2], { numBins: 513 })).toThrow(MediaInvalidError);
    expect(() => new Histogram([1, 2], { numBins: 0 })).toThrow(/numBins/);
    expect(() => new Histogram(['a' as unknown as number])).toThrow(MediaInvalidError);
    expect(() => new Histogram(42 as unknown as number[])).toThrow(MediaInvalidError);
  });
});
