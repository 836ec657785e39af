import { readJsonLines } from '../jsonLines/readJsonLines.js';
import type { MetricDefinition } from '../summary/metricDefinition.js';

/** One t9k metrics record: a `logMetrics(type, metrics, { step, epoch })` call. */
export interface T9kMetricRecord {
  step: number;
  epoch: number | null;
  metrics: Record<string, unknown>;
  /** When the record's row was written (ISO 8601). */
  timestamp: string;
}

/** t9k's `run.metrics`: each type's records, in the order they were logged. */
export type T9kMetrics = Record<string, T9kMetricRecord[]>;

/**
 * The t9k types of a run, from its metric definitions: logMetrics defines `<type>/*` with stepMetric
 * `<type>/step` the first time it logs a type (t9kMetricLog.ts), and metrics.json keeps the definitions.
 */
export function t9kTypes(definitions: readonly MetricDefinition[]): string[] {
  const types: string[] = [];
  for (const { name, stepMetric } of definitions) {
    if (!name.endsWith('/*')) continue;
    const type = name.slice(0, -2);
    if (stepMetric === `${type}/step`) types.push(type);
  }
  return types;
}

/**
 * Reads t9k's per-type records from a history file, row by row through the one JSON-lines reader: a row holding
 * `<type>/step` is a record of that type, its other `<type>/...` members its metrics. Memory is the result's.
 */
export async function readT9kMetrics(historyPath: string, types: readonly string[]): Promise<T9kMetrics> {
  const out: T9kMetrics = {};
  for (const type of types) out[type] = [];
  if (types.length === 0) return out;
  const prefixes = types.map((type) => `${type}/`);
  for await (const row of readJsonLines(historyPath)) {
    for (let t = 0; t < types.length; t++) {
      const prefix = prefixes[t];
      const step = row[`${prefix}step`];
      if (typeof step !== 'number') continue;
      const epoch = row[`${prefix}epoch`];
      const metrics: Record<string, unknown> = {};
      for (const key in row) {
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        if (name !== 'step' && name !== 'epoch') metrics[name] = row[key];
      }
      const seconds = row._timestamp;
      out[types[t]].push({
        step,
        epoch: typeof epoch === 'number' ? epoch : null,
        metrics,
        timestamp: typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : '',
      });
    }
  }
  return out;
}
