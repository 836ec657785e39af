import { InvalidValueError } from '../errors/runlogError.js';

const ALIASES: Record<string, string> = {
  train: 'train',
  training: 'train',
  val: 'val',
  validate: 'val',
  validation: 'val',
  test: 'test',
  testing: 'test',
  eval: 'test',
  evaluate: 'test',
  evaluation: 'test',
};

/** t9k's metric types: its aliases map to train, val and test; any other string is kept as it is. */
export function normalizeMetricType(type: string): string {
  if (typeof type !== 'string' || type.length === 0) {
    throw new InvalidValueError("logMetrics needs a metric type such as 'train', 'val' or 'test'", 'INVALID_ARGUMENT');
  }
  return ALIASES[type.toLowerCase()] ?? type;
}

/** The members of a type's records besides its metrics: its own step axis and its epoch. */
export const T9K_AXES = ['step', 'epoch'] as const;

/** The keys of one metric type in history rows: `<type>/<metric>`, and its axes `<type>/step`, `<type>/epoch`. */
export class T9kTypeKeys {
  readonly stepKey: string;
  readonly epochKey: string;
  /** The glob that gives every key of the type its step axis (defineMetric'd once per run). */
  readonly glob: string;
  private readonly keys = new Map<string, string>();

  constructor(readonly type: string) {
    this.stepKey = `${type}/step`;
    this.epochKey = `${type}/epoch`;
    this.glob = `${type}/*`;
  }

  /** The row key of a metric, made once (a loop logs the same few every step, and log() caches by string). */
  key(metric: string): string {
    let key = this.keys.get(metric);
    if (key === undefined) {
      if ((T9K_AXES as readonly string[]).includes(metric)) {
        throw new InvalidValueError(
          `logMetrics: a metric named "${metric}" would collide with the type's own ${this.type}/${metric} axis: rename it (pass the ${metric} as an option)`,
          'INVALID_KEY',
        );
      }
      key = `${this.type}/${metric}`;
      this.keys.set(metric, key);
    }
    return key;
  }
}
