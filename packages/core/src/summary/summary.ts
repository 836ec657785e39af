import { InvalidValueError } from '../errors/runlogError.js';
import type { BlockKeyStats } from '../history/blockIndex.js';
import { encodeValue } from '../history/valueEncoder.js';
import { decodeJson } from '../values/jsonCodec.js';
import type { MetricDefinition, MetricDefinitions } from './metricDefinition.js';

/** What the summary remembers of one key to compute its aggregates incrementally. */
export interface MetricState {
  count: number;
  /** How many of the values were numbers other than NaN (the mean's denominator). */
  numericCount: number;
  sum: number;
  min: number;
  max: number;
  /** The first and last values: a number, or the JSON text of any other value. */
  first: unknown;
  firstIsJson: boolean;
  last: unknown;
  lastIsJson: boolean;
}

/** A key's record on the hot path: its JSON prefix for history lines, its definition and its summary state. */
export interface KeyRecord {
  key: string;
  /** `,"key":` ready to be concatenated into a history line, and as UTF-8 bytes. */
  prefix: string;
  prefixBytes: Buffer;
  definition: MetricDefinition | undefined;
  state: MetricState;
  /** The last number logged under this key and its JSON text ('' until made): constants format once. */
  lastNumber: number;
  lastNumberText: string;
  /** The key's numbers in the current history index block (history/blockIndex.ts); set by the recorder. */
  blockSlot?: BlockKeyStats;
}

/** What metrics.json keeps of the summary (min/max are null until a number was seen: JSON has no Infinity). */
export interface SavedSummaryState {
  state?: Record<string, Partial<Omit<MetricState, 'min' | 'max'>> & { min?: number | null; max?: number | null }>;
  manual?: Record<string, unknown>;
}

function emptyState(): MetricState {
  return {
    count: 0,
    numericCount: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    first: undefined,
    firstIsJson: false,
    last: undefined,
    lastIsJson: false,
  };
}

/**
 * The run summary: for each logged key its last value, or the aggregate its metric definition asks for,
 * computed incrementally. A value set by hand (`set`, `update`) wins over the automatic one for that key.
 * @example
 * run.defineMetric('val/loss', { summary: 'min' });
 * run.summary.set('best_epoch', 7);
 * run.summary.get('val/loss'); // the smallest val/loss logged so far
 */
export class Summary {
  private readonly records = new Map<string, KeyRecord>();
  private readonly manual = new Map<string, unknown>();
  /** Set whenever the summary changed since the last save. */
  dirty = false;

  constructor(
    private readonly definitions: MetricDefinitions,
    private readonly onManualChange: (key: string, value: unknown) => void = () => {},
    private readonly guard: (method: string) => void = () => {},
  ) {}

  /** The record of a key, created (and its definition resolved) the first time the key is seen. */
  record(key: string): KeyRecord {
    let record = this.records.get(key);
    if (record === undefined) {
      const prefix = `,${JSON.stringify(key)}:`;
      record = {
        key,
        prefix,
        prefixBytes: Buffer.from(prefix),
        definition: this.definitions.resolve(key),
        state: emptyState(),
        lastNumber: Number.NaN,
        lastNumberText: '',
      };
      this.records.set(key, record);
    }
    return record;
  }

  /** Re-resolves definitions after defineMetric. */
  refreshDefinitions(): void {
    for (const record of this.records.values()) record.definition = this.definitions.resolve(record.key);
  }

  observeNumber(record: KeyRecord, value: number): void {
    const s = record.state;
    if (s.count === 0) {
      s.first = value;
      s.firstIsJson = false;
    }
    s.count++;
    s.last = value;
    s.lastIsJson = false;
    if (!Number.isNaN(value)) {
      s.numericCount++;
      s.sum += value;
      if (value < s.min) s.min = value;
      if (value > s.max) s.max = value;
    }
    this.dirty = true;
  }

  observeJson(record: KeyRecord, json: string): void {
    const s = record.state;
    if (s.count === 0) {
      s.first = json;
      s.firstIsJson = true;
    }
    s.count++;
    s.last = json;
    s.lastIsJson = true;
    this.dirty = true;
  }

  /** The value the summary shows for `key`: manual first, else the aggregate of its definition. */
  get(key: string): unknown {
    if (this.manual.has(key)) return this.manual.get(key);
    const record = this.records.get(key);
    return record ? aggregate(record) : undefined;
  }

  /** Sets a key by hand; it then stays as set, whatever is logged later. */
  set(key: string, value: unknown): void {
    this.guard('summary.set');
    if (typeof key !== 'string' || key.length === 0)
      throw new InvalidValueError('summary keys must be non-empty strings', 'INVALID_KEY');
    const json = encodeValue(value, `summary.${key}`);
    this.manual.set(key, json === undefined ? undefined : decodeJson(json));
    this.dirty = true;
    this.onManualChange(key, value);
  }

  update(values: Record<string, unknown>): void {
    this.guard('summary.update');
    if (typeof values !== 'object' || values === null)
      throw new InvalidValueError('summary.update takes an object', 'INVALID_ARGUMENT');
    // Validate everything first so a bad value changes nothing.
    for (const [key, value] of Object.entries(values)) encodeValue(value, `summary.${key}`);
    for (const [key, value] of Object.entries(values)) this.set(key, value);
  }

  /** Removes a manual value, so the automatic one shows again. */
  unset(key: string): void {
    this.guard('summary.unset');
    this.manual.delete(key);
    this.dirty = true;
  }

  keys(): string[] {
    const keys = new Set<string>(this.manual.keys());
    for (const [key, record] of this.records) if (aggregate(record) !== undefined) keys.add(key);
    return [...keys];
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, record] of this.records) {
      const value = aggregate(record);
      if (value !== undefined) out[key] = value;
    }
    for (const [key, value] of this.manual) out[key] = value;
    return out;
  }

  /** What metrics.json keeps so a resumed run continues its aggregates. */
  stateJSON(): { state: Record<string, unknown>; manual: Record<string, unknown> } {
    const state: Record<string, unknown> = {};
    for (const [key, record] of this.records) {
      const s = record.state;
      state[key] = { ...s, min: Number.isFinite(s.min) ? s.min : null, max: Number.isFinite(s.max) ? s.max : null };
    }
    return { state, manual: Object.fromEntries(this.manual) };
  }

  restore(saved: SavedSummaryState): void {
    for (const [key, s] of Object.entries(saved.state ?? {})) {
      const record = this.record(key);
      Object.assign(record.state, s, {
        min: typeof s.min === 'number' ? s.min : Number.POSITIVE_INFINITY,
        max: typeof s.max === 'number' ? s.max : Number.NEGATIVE_INFINITY,
      });
    }
    for (const [key, value] of Object.entries(saved.manual ?? {})) this.manual.set(key, value);
  }
}

function plain(state: MetricState, which: 'first' | 'last'): unknown {
  const isJson = which === 'first' ? state.firstIsJson : state.lastIsJson;
  return isJson ? decodeJson(state[which] as string) : state[which];
}

function aggregate(record: KeyRecord): unknown {
  const s = record.state;
  if (s.count === 0) return undefined;
  const kind = record.definition?.summary ?? 'last';
  const numeric = Number.isFinite(s.min);
  switch (kind) {
    case 'none':
      return undefined;
    case 'first':
      return plain(s, 'first');
    case 'min':
      return numeric ? s.min : plain(s, 'last');
    case 'max':
      return numeric ? s.max : plain(s, 'last');
    case 'mean':
      return numeric ? s.sum / s.numericCount : plain(s, 'last');
    case 'best':
      if (!numeric) return plain(s, 'last');
      return record.definition?.goal === 'maximize' ? s.max : s.min;
    default:
      return plain(s, 'last');
  }
}
