import type { SweepConfig } from '../config/sweepConfig.js';
import { hyperbandBands } from '../hyperband/hyperbandBands.js';
import { bandValues, curveOf } from '../hyperband/metricCurve.js';
import type { TrialRecord } from '../state/sweepRecords.js';

type MetricFields = Pick<TrialRecord, 'value' | 'lastValue' | 'steps' | 'bandValues'>;

/**
 * What a trial's record keeps of its metric: the best value over its history (wandb's bayes search reads the
 * extremum too), else its summary value; the last value; how many values; and its values at Hyperband's brackets.
 */
export function metricFields(config: SweepConfig, values: readonly unknown[], summaryValue: unknown): MetricFields {
  const metric = config.metric;
  if (!metric) return {};
  const numbers = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
  const fields: MetricFields = { steps: numbers.length };
  if (numbers.length > 0) {
    fields.value = metric.goal === 'maximize' ? Math.max(...numbers) : Math.min(...numbers);
    fields.lastValue = numbers[numbers.length - 1];
  } else if (typeof summaryValue === 'number' && !Number.isNaN(summaryValue)) {
    fields.value = summaryValue;
    fields.lastValue = summaryValue;
  }
  if (config.earlyTerminate)
    fields.bandValues = bandValues(curveOf(numbers, metric.goal), hyperbandBands(config.earlyTerminate));
  return fields;
}
