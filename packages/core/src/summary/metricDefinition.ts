import { InvalidValueError } from '../errors/runlogError.js';
import { checkMetricNameLength, compileGlob } from './globMatcher.js';

export type SummaryKind = 'min' | 'max' | 'mean' | 'first' | 'last' | 'best' | 'none';
/** One aggregate, or several joined by commas as wandb takes them ('min,max,mean'). */
export type SummarySpec = SummaryKind | (string & {});
export type Goal = 'minimize' | 'maximize';

/** Options of `run.defineMetric`, as in wandb's define_metric. */
export interface DefineMetricOptions {
  /** Another metric used as this one's x axis in charts. */
  stepMetric?: string;
  /** Insert the last value of stepMetric into rows that log this metric without it (default true with stepMetric). */
  stepSync?: boolean;
  /** Hide the metric from automatic charts. */
  hidden?: boolean;
  /**
   * Which aggregate the summary keeps: 'min', 'max', 'mean', 'first', 'last', 'best' (needs `goal`) or 'none';
   * several joined by commas ('min,max,mean') keep an object of them. Default 'last'.
   */
  summary?: SummarySpec;
  /** Whether smaller ('minimize') or larger ('maximize') is better, for 'best'. */
  goal?: Goal;
  /** true: replace an earlier definition of the same name; default (wandb's None, or false): merge with it. */
  overwrite?: boolean;
}

export interface MetricDefinition {
  name: string;
  stepMetric?: string;
  stepSync?: boolean;
  hidden?: boolean;
  /** One aggregate, or several joined by commas, as given (normalised: no spaces). */
  summary?: string;
  goal?: Goal;
}

const DEFINE_OPTIONS = new Set(['stepMetric', 'stepSync', 'hidden', 'summary', 'goal', 'overwrite']);
const SUMMARIES: readonly SummaryKind[] = ['min', 'max', 'mean', 'first', 'last', 'best', 'none'];

/** The aggregates of a summary spec ('min,max' -> ['min', 'max']); throws INVALID_ARGUMENT for a bad one. */
export function summaryKinds(spec: unknown): SummaryKind[] {
  if (typeof spec !== 'string') throw summaryError(spec);
  const kinds = spec.split(',').map((kind) => kind.trim()) as SummaryKind[];
  for (const kind of kinds) if (!SUMMARIES.includes(kind)) throw summaryError(spec);
  if (new Set(kinds).size !== kinds.length || (kinds.length > 1 && kinds.includes('none'))) throw summaryError(spec);
  return kinds;
}

function summaryError(spec: unknown): InvalidValueError {
  return new InvalidValueError(
    `summary must be one of ${SUMMARIES.join(', ')}, or several of them joined by commas ('min,max,mean'; 'none' alone); got ${JSON.stringify(spec)}`,
    'INVALID_ARGUMENT',
  );
}

/** The definition a defineMetric call states: only the fields it was given (checked one by one). */
export function checkDefinition(name: unknown, options: DefineMetricOptions): MetricDefinition {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidValueError('defineMetric needs a metric name (globs like "val/*" allowed)', 'INVALID_ARGUMENT');
  }
  checkMetricNameLength(name);
  if (typeof options !== 'object' || options === null) {
    throw new InvalidValueError('defineMetric takes an options object', 'INVALID_ARGUMENT');
  }
  if (options.goal !== undefined && options.goal !== 'minimize' && options.goal !== 'maximize') {
    throw new InvalidValueError(
      `goal must be "minimize" or "maximize"; got ${JSON.stringify(options.goal)}`,
      'INVALID_ARGUMENT',
    );
  }
  if (options.stepMetric !== undefined && (typeof options.stepMetric !== 'string' || options.stepMetric === name)) {
    throw new InvalidValueError('stepMetric must name another metric', 'INVALID_ARGUMENT');
  }
  for (const option of Object.keys(options)) {
    if (!DEFINE_OPTIONS.has(option)) {
      throw new InvalidValueError(
        `defineMetric has no option "${option}" (options: ${[...DEFINE_OPTIONS].join(', ')})`,
        'INVALID_ARGUMENT',
      );
    }
  }
  for (const flag of ['stepSync', 'hidden', 'overwrite'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
      throw new InvalidValueError(`defineMetric's ${flag} must be true or false`, 'INVALID_ARGUMENT');
    }
  }
  const definition: MetricDefinition = { name };
  if (options.stepMetric !== undefined) {
    definition.stepMetric = options.stepMetric;
    definition.stepSync = options.stepSync ?? true;
  }
  if (options.hidden !== undefined) definition.hidden = options.hidden;
  if (options.summary !== undefined) definition.summary = summaryKinds(options.summary).join(',');
  if (options.goal !== undefined) definition.goal = options.goal;
  return definition;
}

/** Checks a definition once merged with the earlier one: 'best' needs a goal from one of them. */
export function checkMergedDefinition(definition: MetricDefinition): void {
  if (definition.summary !== undefined && summaryKinds(definition.summary).includes('best') && !definition.goal) {
    throw new InvalidValueError('summary "best" needs goal: "minimize" or "maximize"', 'INVALID_ARGUMENT');
  }
}

/** The definitions of one run; resolves a key to its definition (an exact name first, then the latest glob). */
export class MetricDefinitions {
  private readonly exact = new Map<string, MetricDefinition>();
  private globs: Array<{ matches: (key: string) => boolean; definition: MetricDefinition }> = [];
  /** Whether a name holds a '.': nested values are then looked into for key paths (summary/keyPaths.ts). */
  private paths = false;

  get hasKeyPaths(): boolean {
    return this.paths;
  }

  /** What `define` would store: the definition, merged with the earlier one of its name unless `overwrite`. */
  merged(definition: MetricDefinition, overwrite: boolean): MetricDefinition {
    const existing = this.named(definition.name);
    return !overwrite && existing ? { ...existing, ...definition } : definition;
  }

  /** Stores a definition (replacing any of the same name); `overwrite: false` merges it with that one first. */
  define(definition: MetricDefinition, overwrite = true): MetricDefinition {
    const merged = this.merged(definition, overwrite);
    if (merged.name.includes('.')) this.paths = true;
    if (merged.name.includes('*')) {
      this.globs = this.globs.filter((g) => g.definition.name !== merged.name);
      this.globs.push({ matches: compileGlob(merged.name), definition: merged });
    } else {
      this.exact.set(merged.name, merged);
    }
    return merged;
  }

  /** The definition made under exactly this name (a glob's own name included), not one it resolves to. */
  named(name: string): MetricDefinition | undefined {
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
