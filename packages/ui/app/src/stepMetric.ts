import { metricResolver } from '@runlog/core/browser';
import type { MetricDefinition } from './types.js';

/**
 * The x axis defineMetric chose for `key` (its stepMetric), else '_step'. Keys resolve as the engine resolves
 * them (core's matcher: an exact name first, else the latest matching glob), so charts and runs never disagree.
 */
export function stepMetricFor(key: string, definitions: MetricDefinition[]): string {
  return metricResolver(definitions)(key)?.stepMetric ?? '_step';
}

/** True when defineMetric hid the key (`hidden: true`): it is not charted unless the user filters for it. */
export function isHiddenMetric(key: string, definitions: MetricDefinition[]): boolean {
  return metricResolver(definitions)(key)?.hidden === true;
}
