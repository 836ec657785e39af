import { percentileOfSorted } from './percentiles.js';

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * The latencies of the calls since the last log, in a preallocated Float64Array: recording one is a store
 * and an increment, so the hot path never allocates. Percentiles are computed only when the window is logged.
 */
export class LatencyWindow {
  private readonly latencies: Float64Array;
  /** Calls recorded since the last `reset`. */
  count = 0;
  /** Items (batch rows) recorded since the last `reset`. */
  items = 0;
  /** performance.now() when the first call of the window started, and when the last one ended. */
  firstStart = 0;
  lastEnd = 0;

  constructor(readonly capacity: number) {
    this.latencies = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Records one call; the caller logs and resets the window when it is full. */
  record(start: number, end: number, items: number): void {
    if (this.count === 0) this.firstStart = start;
    this.lastEnd = end;
    this.latencies[this.count++] = end - start;
    this.items += items;
  }

  /** The recorded latencies (a view, valid until the next `record`). */
  values(): Float64Array {
    return this.latencies.subarray(0, this.count);
  }

  summarise(): LatencySummary {
    const sorted = Float64Array.from(this.values()).sort();
    let sum = 0;
    for (let i = 0; i < sorted.length; i++) sum += sorted[i];
    return {
      p50: percentileOfSorted(sorted, 0.5),
      p90: percentileOfSorted(sorted, 0.9),
      p99: percentileOfSorted(sorted, 0.99),
      mean: sorted.length ? sum / sorted.length : Number.NaN,
      max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    };
  }

  /** Wall-clock span of the window in seconds, from the first call's start to the last call's end. */
  spanSeconds(): number {
    return (this.lastEnd - this.firstStart) / 1000;
  }

  reset(): void {
    this.count = 0;
    this.items = 0;
  }
}
