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
