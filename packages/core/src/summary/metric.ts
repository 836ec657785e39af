import type { Goal, MetricDefinition, SummaryKind } from './metricDefinition.js';

/**
 * What `defineMetric` returns, as wandb's Metric: the definition now in force for `name` (merged with earlier
 * ones unless `overwrite`). A frozen description; changing it changes nothing.
 * @example
 * const metric = run.defineMetric('val/loss', { summary: 'min,max' });
 * metric.summary; // ['min', 'max']
 */
export class Metric {
  readonly name: string;
  readonly stepMetric: string | undefined;
  readonly stepSync: boolean | undefined;
  readonly hidden: boolean | undefined;
  /** The aggregates the summary keeps (wandb's tuple), undefined for the default (the last value). */
  readonly summary: readonly SummaryKind[] | undefined;
  readonly goal: Goal | undefined;

  constructor(definition: MetricDefinition) {
    this.name = definition.name;
    this.stepMetric = definition.stepMetric;
    this.stepSync = definition.stepSync;
    this.hidden = definition.hidden;
    this.summary =
      definition.summary === undefined ? undefined : Object.freeze(definition.summary.split(',') as SummaryKind[]);
    this.goal = definition.goal;
    Object.freeze(this);
  }
}
