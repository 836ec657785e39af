import type { HistoryRow } from '../historyRows/historyRowText.js';
import { type MetricDefinition, MetricDefinitions } from '../summary/metricDefinition.js';
import { type SavedSummaryState, Summary } from '../summary/summary.js';
import { encodeJson } from '../values/jsonCodec.js';

/**
 * The summary state of a history that was cut (rewind) or copied (fork): the rows are observed again, with
 * the run's metric definitions, as if they had just been logged. Keys set by hand are kept as they were.
 */
export function replaySummary(
  rows: HistoryRow[],
  definitions: MetricDefinition[] = [],
  manual: Record<string, unknown> = {},
): SavedSummaryState & { definitions: MetricDefinition[] } {
  const defined = new MetricDefinitions();
  for (const definition of definitions) defined.define(definition);
  const summary = new Summary(defined, { encodeValue: (value) => encodeJson(value) });
  for (const row of rows)
    for (const [key, value] of Object.entries(row)) {
      if (key.startsWith('_')) continue;
      if (typeof value === 'number') summary.observeNumber(summary.record(key), value);
      else summary.observeJson(summary.record(key), encodeJson(value));
    }
  // stateJSON() is what metrics.json holds, which is what restore() reads back.
  return { ...(summary.stateJSON() as SavedSummaryState), manual, definitions };
}
