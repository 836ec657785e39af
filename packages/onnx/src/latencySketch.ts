import type { LatencySummary } from './latencyWindow.js';

/** Relative accuracy of the percentiles: every estimate is within 1% of a value that was recorded. */
const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Latencies from 1 ns to about 28 hours (in ms) get their own bucket; smaller and larger ones are clamped. */
const MIN_MS = 1e-6;
const MIN_INDEX = Math.ceil(Math.log(MIN_MS) / LOG_GAMMA);
const BUCKETS = Math.ceil(Math.log(1e8) / LOG_GAMMA) - MIN_INDEX + 1;

/**
 * All latencies of a watched session in constant memory (a DDSketch with logarithmic buckets): the overall
 * percentiles the summary keeps, however many calls there were. Exact count, mean, min and max.
 */
export class LatencySketch {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(latencies: ArrayLike<number>): void {
    for (let i = 0; i < latencies.length; i++) {
      const v = latencies[i];
      const index = Math.ceil(Math.log(Math.max(v, MIN_MS)) / LOG_GAMMA) - MIN_INDEX;
      this.counts[Math.min(Math.max(index, 0), BUCKETS - 1)]++;
      this.sum += v;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
    this.count += latencies.length;
  }

  /** The q-quantile (0..1), within 1% of the true value of the nearest rank; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = q * (this.count - 1);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b];
      if (seen > rank) {
        const estimate = (2 * GAMMA ** (b + MIN_INDEX)) / (GAMMA + 1);
        return Math.min(Math.max(estimate, this.min), this.max);
      }
    }
    return this.max;
  }

  summarise(): LatencySummary {
    return {
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      mean: this.count ? this.sum / this.count : Number.NaN,
      max: this.count ? this.max : Number.NaN,
    };
  }
}
