import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { computeTensorStats, mergeTensorStats } from '../src/tensorStats.js';

describe('computeTensorStats', () => {
  it('summarises a float tensor, leaving NaN out of min, max and mean', () => {
    const data = new Float32Array([1.5, -2, Number.NaN, 4, Number.NaN, 0.25]);
    const stats = computeTensorStats(new Tensor('float32', data, [2, 3]));
    expect(stats).toMatchObject({ dtype: 'float32', shape: [2, 3], count: 4, min: -2, max: 4, nanCount: 2 });
    expect(stats.sum / stats.count).toBeCloseTo((1.5 - 2 + 4 + 0.25) / 4, 12);
  });

  it('reads int64 as numbers, bool as 0/1, and gives strings only dtype and shape', () => {
    const ints = computeTensorStats(new Tensor('int64', new BigInt64Array([3n, -9n, 12n]), [3]));
    expect(ints).toMatchObject({ dtype: 'int64', count: 3, min: -9, max: 12, sum: 6 });
    const bools = computeTensorStats(new Tensor('bool', new Uint8Array([1, 0, 1, 1]), [4]));
    expect(bools).toMatchObject({ min: 0, max: 1, sum: 3 });
    const strings = computeTensorStats(new Tensor('string', ['a', 'b'], [2]));
    expect(strings).toMatchObject({ dtype: 'string', shape: [2], count: 0, nanCount: 0 });
  });

  it('decodes float16', () => {
    // 0x3c00 = 1, 0xc000 = -2, 0x7e00 = NaN, 0x3555 ~ 0.333
    const stats = computeTensorStats(new Tensor('float16', new Uint16Array([0x3c00, 0xc000, 0x7e00, 0x3555]), [4]));
    expect(stats).toMatchObject({ min: -2, max: 1, nanCount: 1, count: 3 });
  });

  it('an all-NaN tensor has NaN min and max and merges into a running summary', () => {
    const nan = computeTensorStats(new Tensor('float32', new Float32Array([Number.NaN, Number.NaN]), [2]));
    expect(nan.min).toBeNaN();
    const sofar = computeTensorStats(new Tensor('float32', new Float32Array([1, 2]), [2]));
    mergeTensorStats(sofar, nan);
    mergeTensorStats(sofar, computeTensorStats(new Tensor('float32', new Float32Array([-5, 9, 0]), [3])));
    expect(sofar).toMatchObject({ count: 5, min: -5, max: 9, sum: 7, nanCount: 2, shape: [3] });
  });
});
