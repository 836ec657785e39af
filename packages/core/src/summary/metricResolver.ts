import { type MetricDefinition, MetricDefinitions } from './metricDefinition.js';

/**
 * Resolves keys to a run's defineMetric definitions (as metrics.json lists them) exactly as the engine does: an
 * exact name first, else the latest matching glob. The dashboard's x axis (`stepMetric`) and hidden keys come
 * from here, so they never disagree with the run.
 * @example
 * const definitionOf = metricResolver(await run.metricDefinitions());
 * const xAxis = definitionOf('batch/loss')?.stepMetric ?? '_step';
 */
export function metricResolver(
  definitions: readonly MetricDefinition[],
): (key: string) => MetricDefinition | undefined {
  const set = new MetricDefinitions();
  for (const definition of definitions) set.define(definition);
  return (key) => set.resolve(key);
}
