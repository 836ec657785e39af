import { InvalidValueError } from '../errors/runlogError.js';
import { checkMetricNameLength, compileGlob } from './globMatcher.js';

export type SummaryKind = 'min' | 'max' | 'mean' | 'first' | 'last' | 'best' | 'none';
export type Goal = 'minimize' | 'maximize';

/** Options of `run.defineMetric`, as in wandb's define_metric. */
export interface DefineMetricOptions {
  /** Another metric used as this one's x axis in charts. */
  stepMetric?: string;
  /** Insert the last value of stepMetric into rows that log this metric without it (default true with stepMetric). */
  stepSync?: boolean;
  /** Hide the metric from automatic charts. */
  hidden?: boolean;
  /** Which aggregate the summary keeps; 'best' needs `goal`. Default 'last'. */
  summary?: SummaryKind;
  /** Whether smaller ('minimize') or larger ('maximize') is better, for 'best'. */
  goal?: Goal;
  /** false: merge with an existing definition of the same name instead of replacing it. Default true. */
  overwrite?: boolean;
}

export interface MetricDefinition {
  name: string;
  stepMetric?: string;
  stepSync?: boolean;
  hidden?: boolean;
  summary?: SummaryKind;
  goal?: Goal;
}

const SUMMARIES: readonly SummaryKind[] = ['min', 'max', 'mean', 'first', 'last', 'best', 'none'];

export function checkDefinition(name: unknown, options: DefineMetricOptions): MetricDefinition {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidValueError('defineMetric needs a metric name (globs like "val/*" allowed)', 'INVALID_ARGUMENT');
  }
  checkMetricNameLength(name);
  if (options.summary !== undefined && !SUMMARIES.includes(options.summary)) {
    throw new InvalidValueError(
      `summary must be one of ${SUMMARIES.join(', ')}; got ${JSON.stringify(options.summary)}`,
      'INVALID_ARGUMENT',
    );
  }
  if (options.goal !== undefined && options.goal !== 'minimize' && options.goal !== 'maximize') {
    throw new InvalidValueError(
      `goal must be "minimize" or "maximize"; got ${JSON.stringify(options.goal)}`,
      'INVALID_ARGUMENT',
    );
  }
  if (options.summary === 'best' && !options.goal) {
    throw new InvalidValueError('summary "best" needs goal: "minimize" or "maximize"', 'INVALID_ARGUMENT');
  }
  if (options.stepMetric !== undefined && (typeof options.stepMetric !== 'string' || options.stepMetric === name)) {
    throw new InvalidValueError('stepMetric must name another metric', 'INVALID_ARGUMENT');
  }
  const definition: MetricDefinition = { name };
  if (options.stepMetric !== undefined) {
    definition.stepMetric = options.stepMetric;
    definition.stepSync = options.stepSync ?? true;
  }
  if (options.hidden !== undefined) definition.hidden = options.hidden;
  if (options.summary !== undefined) definition.summary = options.summary;
  if (options.goal !== undefined) definition.goal = options.goal;
  return definition;
}

/** The definitions of one run; resolves a key to its definition (an exact name first, then the latest glob). */
export class MetricDefinitions {
  private readonly exact = new Map<string, MetricDefinition>();
  private globs: Array<{ matches: (key: string) => boolean; definition: MetricDefinition }> = [];

  define(definition: MetricDefinition, overwrite = true): MetricDefinition {
    const existing = this.named(definition.name);
    const merged = !overwrite && existing ? { ...existing, ...definition } : definition;
    if (merged.name.includes('*')) {
      this.globs = this.globs.filter((g) => g.definition.name !== merged.name);
      this.globs.push({ matches: compileGlob(merged.name), definition: merged });
    } else {
      this.exact.set(merged.name, merged);
    }
    return merged;
  }

  /** The definition made under exactly this name (a glob's own name included), not one it resolves to. */
  private named(name: string): MetricDefinition | undefined {
    return this.exact.get(name) ?? this.globs.find((g) => g.definition.name === name)?.definition;
  }

  resolve(key: string): MetricDefinition | undefined {
    const exact = this.exact.get(key);
    if (exact) return exact;
    for (let i = this.globs.length - 1; i >= 0; i--) if (this.globs[i].matches(key)) return this.globs[i].definition;
    return undefined;
  }

  list(): MetricDefinition[] {
    return [...this.exact.values(), ...this.globs.map((g) => g.definition)];
  }
}
