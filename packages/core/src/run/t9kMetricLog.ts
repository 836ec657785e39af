import { InvalidValueError } from '../errors/runlogError.js';
import type { MetricDefinitions } from '../summary/metricDefinition.js';
import type { Summary } from '../summary/summary.js';
import { normalizeMetricType, T9kTypeKeys } from './t9kTypes.js';

export interface T9kMetricOptions {
  /** The record's step on its type's own axis; default: one more than the type's last step (0 at first). */
  step?: number;
  epoch?: number;
}

export interface T9kMetricLogParts {
  definitions: MetricDefinitions;
  summary: Summary;
  /** wandb's log() of the run: each record becomes a row of its own at the next `_step`. */
  log(row: Record<string, unknown>): void;
}

function checkAxis(name: string, value: unknown): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 0)) {
    throw new InvalidValueError(
      `logMetrics: ${name} must be a non-negative integer, got ${String(value)}`,
      'INVALID_ARGUMENT',
    );
  }
}

/**
 * t9k's `log(type, metrics, step, epoch)`: one step counter per type. Each call is a record kept as its own
 * history row (at the run's next `_step`, so wandb's monotonic rule never drops it): `<type>/<metric>` keys with the
 * type's own axis `<type>/step` (and `<type>/epoch`). The first record of a type defines `<type>/*` with
 * stepMetric `<type>/step`, so charts draw the type against its own steps; a val step below the train step is
 * normal. `run.metrics` reads the records back in t9k's shape (t9kMetrics.ts).
 */
export class T9kMetricLog {
  private readonly byType = new Map<string, T9kTypeKeys>();

  constructor(private readonly parts: T9kMetricLogParts) {}

  log(type: string, metrics: Record<string, unknown>, options: T9kMetricOptions = {}): void {
    if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics))
      throw new InvalidValueError('logMetrics takes an object of metrics, like { loss: 0.3 }', 'INVALID_ARGUMENT');
    if (typeof options !== 'object' || options === null)
      throw new InvalidValueError('logMetrics takes { step, epoch } options', 'INVALID_ARGUMENT');
    for (const option of Object.keys(options)) {
      if (option !== 'step' && option !== 'epoch')
        throw new InvalidValueError(`logMetrics has no option "${option}" (options: step, epoch)`, 'INVALID_ARGUMENT');
    }
    const { step, epoch } = options;
    checkAxis('step', step);
    checkAxis('epoch', epoch);
    const keys = this.keysOf(type);
    const row: Record<string, unknown> = {};
    for (const name in metrics) if (Object.hasOwn(metrics, name)) row[keys.key(name)] = metrics[name];
    row[keys.stepKey] = step ?? this.nextStep(keys);
    if (epoch !== undefined) row[keys.epochKey] = epoch;
    this.parts.log(row);
  }

  /** One more than the type's last step (kept by the summary, so a resumed run continues it). */
  private nextStep(keys: T9kTypeKeys): number {
    const last = this.parts.summary.record(keys.stepKey).state.last;
    return typeof last === 'number' ? last + 1 : 0;
  }

  private keysOf(type: string): T9kTypeKeys {
    let keys = this.byType.get(type);
    if (keys === undefined) {
      keys = new T9kTypeKeys(normalizeMetricType(type));
      this.defineAxes(keys);
      this.byType.set(type, keys);
    }
    return keys;
  }

  /**
   * `<type>/*` charted against `<type>/step` (a user's own definition of that glob keeps its stepMetric, or gets
   * this one merged in), and `<type>/step` itself hidden from automatic charts.
   */
  private defineAxes(keys: T9kTypeKeys): void {
    const { definitions, summary } = this.parts;
    const glob = definitions.named(keys.glob);
    if (glob?.stepMetric === undefined) {
      definitions.define({ ...glob, name: keys.glob, stepMetric: keys.stepKey, stepSync: true });
    }
    if (definitions.named(keys.stepKey) === undefined) definitions.define({ name: keys.stepKey, hidden: true });
    summary.refreshDefinitions();
  }
}
