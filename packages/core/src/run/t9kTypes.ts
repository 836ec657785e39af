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

/**
 * The `<type>/<metric>` keys of logMetrics, made once per pair: a training loop logs the same few every step,
 * and the same key strings let log() skip its per-key lookups.
 */
export class TypedMetricKeys {
  private readonly byType = new Map<string, KeysOfType>();

  /** t9k's `log(type, metrics, step, epoch)` as the row run.log() takes: `<type>/<metric>` keys, and `epoch`. */
  row(type: string, metrics: Record<string, number>, epoch: number | undefined): Record<string, unknown> {
    if (typeof metrics !== 'object' || metrics === null)
      throw new InvalidValueError('logMetrics takes an object of metrics', 'INVALID_ARGUMENT');
    const keys = this.forType(type);
    const row: Record<string, unknown> = {};
    for (const name in metrics) {
      if (Object.hasOwn(metrics, name)) row[keys.key(name)] = metrics[name];
    }
    if (epoch !== undefined) row.epoch = epoch;
    return row;
  }

  /** The keys of one metric type; throws for a bad type (see normalizeMetricType). */
  forType(type: string): KeysOfType {
    let keys = this.byType.get(type);
    if (keys === undefined) {
      keys = new KeysOfType(normalizeMetricType(type));
      this.byType.set(type, keys);
    }
    return keys;
  }
}

class KeysOfType {
  private readonly keys = new Map<string, string>();

  constructor(private readonly prefix: string) {}

  key(metric: string): string {
    let key = this.keys.get(metric);
    if (key === undefined) {
      key = `${this.prefix}/${metric}`;
      this.keys.set(metric, key);
    }
    return key;
  }
}
