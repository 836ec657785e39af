import { Metric } from './metric.js';
import {
  checkDefinition,
  checkMergedDefinition,
  type DefineMetricOptions,
  type MetricDefinitions,
} from './metricDefinition.js';
import type { Summary } from './summary.js';

/**
 * wandb's define_metric on a run's definitions: checks the call, merges it with the earlier definition of the
 * name (unless `overwrite: true`), checks the result, stores it and lets the summary re-resolve its keys.
 */
export function defineMetric(
  definitions: MetricDefinitions,
  summary: Summary,
  name: string,
  options: DefineMetricOptions,
): Metric {
  const definition = checkDefinition(name, options);
  const overwrite = options.overwrite === true;
  checkMergedDefinition(definitions.merged(definition, overwrite));
  const stored = definitions.define(definition, overwrite);
  summary.refreshDefinitions();
  return new Metric(stored);
}
