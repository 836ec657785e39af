import { describe, expect, it } from 'vitest';
import { LatencySketch } from '../src/latencySketch.js';
import { LatencyWindow } from '../src/latencyWindow.js';
import { percentileOfSorted } from '../src/percentiles.js';
import { seededRandom } from './helpers/onnxGraph.js';

describe('latency statistics', () => {
  it('percentileOfSorted interpolates like numpy.percentile', () => {
    // numpy.percentile([1, 2, 3, 4], [50, 90, 99]) == [2.5, 3.7, 3.97]
    expect(percentileOfSorted([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(percentileOfSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(percentileOfSorted([1, 2, 3, 4], 0.99)).toBeCloseTo(3.97, 12);
    expect(percentileOfSorted([7], 0.99)).toBe(7);
    expect(percentileOfSorted([], 0.5)).toBeNaN();
  });

  it('a window records into a fixed buffer and summarises what it holds', () => {
    const window = new LatencyWindow(4);
    const spans = [0.4, 0.1, 0.3, 0.2];
    let t = 10;
    for (const ms of spans) {
      window.record(t, t + ms, 2);
      t += 1;
    }
    expect(window.full).toBe(true);
    expect(window.items).toBe(8);
    const s = window.summarise();
    expect(s.p50).toBeCloseTo(0.25, 12);
    expect(s.mean).toBeCloseTo(0.25, 12);
    expect(s.max).toBeCloseTo(0.4, 12);
    expect(window.spanSeconds()).toBeCloseTo((13.2 - 10) / 1000, 12);
    window.reset();
    expect(window.count).toBe(0);
    expect(window.values()).toHaveLength(0);
  });

  it('the sketch keeps percentiles within 1% over a wide range, with exact mean and max', () => {
    const random = seededRandom(7);
    const values = Float64Array.from({ length: 20_000 }, () => Math.exp(random() * 12 - 6)); // 0.0025 ms .. 400 ms
    const sketch = new LatencySketch();
    for (let i = 0; i < values.length; i += 100) sketch.add(values.subarray(i, i + 100));
    const sorted = Float64Array.from(values).sort();
    for (const q of [0, 0.5, 0.9, 0.99, 1]) {
      const exact = sorted[Math.round(q * (sorted.length - 1))];
      expect(Math.abs(sketch.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.0101);
    }
    const summary = sketch.summarise();
    expect(summary.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
    expect(summary.max).toBe(sorted[sorted.length - 1]);
    expect(new LatencySketch().quantile(0.5)).toBeNaN();
  });
});
