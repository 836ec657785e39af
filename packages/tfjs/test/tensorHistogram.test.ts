import { computeHistogram } from '@runlog/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tensorHistogram } from '../src/index.js';
import { BACKENDS, useBackend } from './backends.js';

// The histogram itself is @runlog/media's (tested there against core's computeHistogram); this is tfjs's choice
// of where to bin it.
describe.each(BACKENDS)('tensorHistogram (tfjs) on %s', (backend) => {
  it("'auto' reads host-memory backends directly and gives the backend's histogram, numpy's", async () => {
    await useBackend(backend);
    const data = Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i * 0.37) * 3 + (i % 7) * 0.125);
    data[5] = Number.NaN;
    const t = tf.tensor1d(data);
    const reads: number[] = [];
    const proto = tf.Tensor.prototype as unknown as { dataSync(): { length: number } };
    const dataSync = proto.dataSync;
    proto.dataSync = function (this: tf.Tensor) {
      const out = dataSync.call(this);
      reads.push(out.length);
      return out;
    };
    let auto: ReturnType<typeof tensorHistogram>;
    try {
      auto = tensorHistogram(t);
    } finally {
      proto.dataSync = dataSync;
    }
    expect(reads).toEqual([2000]); // one read of the values: binned on the host
    expect(auto).toEqual(tensorHistogram(t, 64, 'backend'));
    expect(auto).toEqual(computeHistogram(data));
    expect(tensorHistogram(t, 16, 'host')).toEqual(computeHistogram(data, 16));
    t.dispose();
  });
});
