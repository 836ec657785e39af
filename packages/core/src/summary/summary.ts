import { InvalidValueError } from '../errors/runlogError.js';
import { decodeJson } from '../values/jsonCodec.js';
import { aggregate } from './aggregate.js';
import { KeyPaths, type PathRecord, type SavedPathState } from './keyPaths.js';
import type { MetricDefinition, MetricDefinitions } from './metricDefinition.js';

/** Keys a summary cannot hold, as log() refuses them: runlog's row columns and the codec's `_type`. */
const RESERVED_KEYS = new Set(['_step', '_runtime', '_timestamp', '_type']);
/** Keys that would reach an object's prototype instead of becoming a member. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Throws INVALID_KEY for a key that `log()` would refuse at the top level of a row (the run's summary, and summary
 * edits through the read API). `where` prefixes the message (a run's path).
 */
export function checkSummaryKey(key: unknown, where = ''): asserts key is string {
  const fail = (what: string) => new InvalidValueError(`${where ? `${where}: ` : ''}${what}`, 'INVALID_KEY');
  if (typeof key !== 'string' || key.length === 0) throw fail('summary keys must be non-empty strings');
  if (RESERVED_KEYS.has(key)) throw fail(`summary key "${key}" is reserved for runlog's own fields: rename it`);
  if (UNSAFE_KEYS.has(key)) throw fail(`summary key ${JSON.stringify(key)} is not allowed: rename it`);
}

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

/** One key of the summary: its metric definition (resolved once) and the state its aggregates come from. */
export interface SummaryRecord {
  key: string;
  definition: MetricDefinition | undefined;
  state: MetricState;
}

/**
 * Validates a value set by hand and returns its JSON text (undefined for `undefined`), throwing InvalidValueError
 * as `log()` would for the same value: the run passes history's value encoder.
 */
export type ValueEncoder = (value: unknown, path: string) => string | undefined;

export interface SummaryOptions {
  encodeValue: ValueEncoder;
  /** Called after a manual change (`set`, `update`). */
  onManualChange?: (key: string, value: unknown) => void;
  /** The run's raise-if-finished check. */
  guard?: (method: string) => void;
}

/** What metrics.json keeps of the summary (min/max are null until a number was seen: JSON has no Infinity). */
export interface SavedSummaryState {
  state?: Record<string, Partial<Omit<MetricState, 'min' | 'max'>> & { min?: number | null; max?: number | null }>;
  manual?: Record<string, unknown>;
  /** Aggregates of nested values addressed by key paths (summary/keyPaths.ts). */
  paths?: Record<string, SavedPathState>;
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
  private readonly records = new Map<string, SummaryRecord>();
  private readonly manual = new Map<string, unknown>();
  private readonly paths: KeyPaths;
  /** Counts changes (values observed, set by hand, definitions): a saver compares it with the count it saved. */
  private changeCount = 0;
  private readonly encodeValue: ValueEncoder;
  private readonly onManualChange: (key: string, value: unknown) => void;
  private readonly guard: (method: string) => void;

  constructor(
    private readonly definitions: MetricDefinitions,
    options: SummaryOptions,
  ) {
    this.encodeValue = options.encodeValue;
    this.onManualChange = options.onManualChange ?? (() => {});
    this.guard = options.guard ?? (() => {});
    this.paths = new KeyPaths(definitions);
  }

  /** How many changes the summary has seen: unchanged since a save means nothing to save. */
  get changes(): number {
    return this.changeCount;
  }

  /** The record of a key, created (and its definition resolved) the first time the key is seen. */
  record(key: string): SummaryRecord {
    let record = this.records.get(key);
    if (record === undefined) {
      record = { key, definition: this.definitions.resolve(key), state: emptyState() };
      this.records.set(key, record);
    }
    return record;
  }

  /** Re-resolves every key's definition after defineMetric changed the definitions. */
  refreshDefinitions(): void {
    for (const record of this.records.values()) record.definition = this.definitions.resolve(record.key);
    this.paths.refresh();
    this.changeCount++;
  }

  observeNumber(record: SummaryRecord, value: number): void {
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
    this.changeCount++;
  }

  observeJson(record: SummaryRecord, json: string): void {
    const s = record.state;
    if (s.count === 0) {
      s.first = json;
      s.firstIsJson = true;
    }
    s.count++;
    s.last = json;
    s.lastIsJson = true;
    if (this.definitions.hasKeyPaths) this.paths.observe(record.key, json);
    this.changeCount++;
  }

  /**
   * The value the summary shows for `key`: manual first, else the aggregate of its definition (with the aggregates
   * of its nested key paths in place); a key path (`val.loss`) that a definition names gives its own aggregate.
   */
  get(key: string): unknown {
    if (this.manual.has(key)) return this.manual.get(key);
    const record = this.records.get(key);
    if (record) return this.valueOf(record);
    const path = this.paths.record(key);
    return path ? pathAggregate(path) : undefined;
  }

  private valueOf(record: SummaryRecord): unknown {
    return this.paths.applyTo(record.key, recordAggregate(record), pathAggregate);
  }

  /** Sets a key by hand; it then stays as set, whatever is logged later. Keys are checked as log() checks them. */
  set(key: string, value: unknown): void {
    this.guard('summary.set');
    checkSummaryKey(key);
    const json = this.encodeValue(value, `summary.${key}`);
    this.setChecked(key, json, value);
  }

  private setChecked(key: string, json: string | undefined, value: unknown): void {
    this.manual.set(key, json === undefined ? undefined : decodeJson(json));
    this.changeCount++;
    this.onManualChange(key, value);
  }

  /** Sets several keys by hand, all or nothing: a bad key or value throws before anything changes. */
  update(values: Record<string, unknown>): void {
    this.guard('summary.update');
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      throw new InvalidValueError('summary.update takes an object of key -> value', 'INVALID_ARGUMENT');
    if (Object.getOwnPropertySymbols(values).length > 0)
      throw new InvalidValueError('summary keys must be strings; this object has symbol keys', 'INVALID_KEY');
    const entries = Object.entries(values);
    const checked = entries.map(([key, value]) => {
      checkSummaryKey(key);
      return this.encodeValue(value, `summary.${key}`);
    });
    for (let i = 0; i < entries.length; i++) this.setChecked(entries[i][0], checked[i], entries[i][1]);
  }

  /** Removes a manual value, so the automatic one shows again. */
  unset(key: string): void {
    this.guard('summary.unset');
    this.manual.delete(key);
    this.changeCount++;
  }

  keys(): string[] {
    const keys = new Set<string>(this.manual.keys());
    for (const [key, record] of this.records) if (recordAggregate(record) !== undefined) keys.add(key);
    return [...keys];
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, record] of this.records) {
      const value = this.valueOf(record);
      if (value !== undefined) out[key] = value;
    }
    for (const [key, value] of this.manual) out[key] = value;
    return out;
  }

  /** What metrics.json keeps so a resumed run continues its aggregates. */
  stateJSON(): {
    state: Record<string, unknown>;
    manual: Record<string, unknown>;
    paths: Record<string, SavedPathState>;
  } {
    const state: Record<string, unknown> = {};
    for (const [key, record] of this.records) {
      const s = record.state;
      state[key] = { ...s, min: Number.isFinite(s.min) ? s.min : null, max: Number.isFinite(s.max) ? s.max : null };
    }
    return { state, manual: Object.fromEntries(this.manual), paths: this.paths.stateJSON() };
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
    this.paths.restore(saved.paths);
  }
}

function plain(state: MetricState, which: 'first' | 'last'): unknown {
  const isJson = which === 'first' ? state.firstIsJson : state.lastIsJson;
  return isJson ? decodeJson(state[which] as string) : state[which];
}

function recordAggregate(record: SummaryRecord): unknown {
  const s = record.state;
  if (s.count === 0) return undefined;
  const numeric = Number.isFinite(s.min);
  return aggregate(record.definition, {
    min: numeric ? s.min : undefined,
    max: numeric ? s.max : undefined,
    mean: numeric ? s.sum / s.numericCount : undefined,
    first: () => plain(s, 'first'),
    last: () => plain(s, 'last'),
  });
}

function pathAggregate(record: PathRecord): unknown {
  const s = record.state;
  const numeric = Number.isFinite(s.min);
  return aggregate(record.definition, {
    min: numeric ? s.min : undefined,
    max: numeric ? s.max : undefined,
    mean: numeric ? s.sum / s.count : undefined,
    first: () => s.first,
    last: () => s.last,
  });
}
