import type { RunView } from '@runlog/core';

/** The metrics worth a sparkline: numeric summary keys, not runlog's own (`_…`) nor system ones. */
export function mainMetrics(run: RunView, limit = 8): string[] {
  return Object.entries(run.summary)
    .filter(([key, value]) => !key.startsWith('_') && !key.startsWith('system/') && typeof value === 'number')
    .map(([key]) => key)
    .slice(0, limit);
}

/**
 * One pass over the history: each key's values averaged into `width` buckets by step, for sparklines.
 * Streams (scanHistory), so a long history costs time, not memory.
 */
export async function metricSeries(
  run: RunView,
  keys: string[],
  width: number,
): Promise<Map<string, (number | undefined)[]>> {
  const last = Math.max(0, run.lastHistoryStep);
  const sums = new Map(keys.map((k) => [k, new Float64Array(width)]));
  const counts = new Map(keys.map((k) => [k, new Uint32Array(width)]));
  for await (const page of run.scanHistory({ pageSize: 4096 }).pages()) {
    for (const row of page) {
      const step = row._step as number;
      const bucket = Math.min(width - 1, Math.floor((step / (last + 1)) * width));
      for (const key of keys) {
        const value = row[key];
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        sums.get(key)![bucket] += value;
        counts.get(key)![bucket]++;
      }
    }
  }
  const series = new Map<string, (number | undefined)[]>();
  for (const key of keys) {
    const sum = sums.get(key)!;
    const count = counts.get(key)!;
    series.set(
      key,
      Array.from(sum, (s, i) => (count[i] > 0 ? s / count[i] : undefined)),
    );
  }
  return series;
}
