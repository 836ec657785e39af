import type { MetricDefinition } from './types.js';

const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** The x axis defineMetric chose for `key` (its stepMetric; exact names win over globs), else '_step'. */
export function stepMetricFor(key: string, definitions: MetricDefinition[]): string {
  const exact = definitions.find((d) => d.name === key && d.stepMetric);
  if (exact?.stepMetric) return exact.stepMetric;
  const glob = definitions.find((d) => d.name.includes('*') && d.stepMetric && globToRegExp(d.name).test(key));
  return glob?.stepMetric ?? '_step';
}

/** True when defineMetric hid the key (`hidden: true`): it is not charted unless the user filters for it. */
export function isHiddenMetric(key: string, definitions: MetricDefinition[]): boolean {
  return definitions.some(
    (d) => d.hidden && (d.name === key || (d.name.includes('*') && globToRegExp(d.name).test(key))),
  );
}
