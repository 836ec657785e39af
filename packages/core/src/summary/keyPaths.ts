import { decodeJson } from '../values/jsonCodec.js';
import type { MetricDefinition, MetricDefinitions } from './metricDefinition.js';

/** The running state of one number series: what min, max, mean, first and last come from. */
export interface NumberState {
  count: number;
  sum: number;
  min: number;
  max: number;
  first: number | undefined;
  last: number | undefined;
}

/** A nested number addressed by a key path (`val.loss`) that a definition names. */
export interface PathRecord {
  path: string;
  /** The path's segments below the top-level key (`['loss']`). */
  segments: string[];
  definition: MetricDefinition;
  state: NumberState;
}

/** What metrics.json keeps of a key path (min/max null until a number was seen). */
export type SavedPathState = Omit<NumberState, 'min' | 'max'> & {
  key: string;
  segments: string[];
  min: number | null;
  max: number | null;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Aggregates of nested values, addressed as FORMAT.md's key paths: `defineMetric('val.loss', { summary: 'min' })`
 * aggregates the `loss` inside each logged `val` object, and the summary shows the aggregate in place
 * (`{ val: { loss: <min>, ... } }`, as wandb nests it). Only numbers are aggregated, and only paths that a
 * definition with a '.' in its name matches; a key whose value is an object is looked into only while such a
 * definition exists, so logging without them costs nothing here.
 */
export class KeyPaths {
  private readonly byKey = new Map<string, Map<string, PathRecord>>();
  /** Paths looked up already: the definition, or null for a path no definition names. */
  private readonly resolved = new Map<string, MetricDefinition | null>();

  constructor(private readonly definitions: MetricDefinitions) {}

  /** Observes the numbers of a logged object (its JSON text) whose paths a definition names. */
  observe(key: string, json: string): void {
    const value = decodeJson(json);
    if (isPlainObject(value)) this.walk(key, [], value, 0);
  }

  private walk(key: string, segments: string[], object: Record<string, unknown>, depth: number): void {
    for (const name of Object.keys(object)) {
      const value = object[name];
      const path = [...segments, name];
      if (isPlainObject(value)) {
        if (depth < 64) this.walk(key, path, value, depth + 1);
      } else if (typeof value === 'number') this.observeNumber(key, path, value);
    }
  }

  private observeNumber(key: string, segments: string[], value: number): void {
    const full = `${key}.${segments.join('.')}`;
    let record = this.byKey.get(key)?.get(full);
    if (record === undefined) {
      const definition = this.definitionOf(full);
      if (definition === undefined) return;
      record = { path: full, segments, definition, state: emptyNumberState() };
      this.recordsOf(key).set(full, record);
    }
    addNumber(record.state, value);
  }

  private recordsOf(key: string): Map<string, PathRecord> {
    let records = this.byKey.get(key);
    if (records === undefined) {
      records = new Map();
      this.byKey.set(key, records);
    }
    return records;
  }

  private definitionOf(path: string): MetricDefinition | undefined {
    let definition = this.resolved.get(path);
    if (definition === undefined) {
      const found = this.definitions.resolve(path);
      definition = found?.name.includes('.') ? found : null;
      this.resolved.set(path, definition);
    }
    return definition ?? undefined;
  }

  /** After defineMetric: paths are looked up again. */
  refresh(): void {
    this.resolved.clear();
    for (const records of this.byKey.values()) {
      for (const record of records.values()) {
        const definition = this.definitionOf(record.path);
        if (definition) record.definition = definition;
      }
    }
  }

  /** The record of a full key path, if one was observed. */
  record(path: string): PathRecord | undefined {
    const dot = path.indexOf('.');
    return dot === -1 ? undefined : this.byKey.get(path.slice(0, dot))?.get(path);
  }

  /**
   * A top-level key's summary value with its paths' aggregates put in place. `value` must be the caller's own copy
   * (a freshly decoded object); `aggregateOf` gives a path's aggregate (undefined for 'none': the member is removed).
   */
  applyTo(key: string, value: unknown, aggregateOf: (record: PathRecord) => unknown): unknown {
    const records = this.byKey.get(key);
    if (records === undefined || !isPlainObject(value)) return value;
    for (const record of records.values()) {
      let parent: Record<string, unknown> = value;
      const { segments } = record;
      for (let i = 0; i < segments.length - 1; i++) {
        const next = parent[segments[i]];
        if (!isPlainObject(next)) {
          parent = {};
          break;
        }
        parent = next;
      }
      const leaf = segments[segments.length - 1];
      const aggregate = aggregateOf(record);
      if (aggregate === undefined) delete parent[leaf];
      else parent[leaf] = aggregate;
    }
    return value;
  }

  stateJSON(): Record<string, SavedPathState> {
    const out: Record<string, SavedPathState> = {};
    for (const [key, records] of this.byKey) {
      for (const { path, segments, state } of records.values()) {
        out[path] = {
          ...state,
          key,
          segments,
          min: Number.isFinite(state.min) ? state.min : null,
          max: Number.isFinite(state.max) ? state.max : null,
        };
      }
    }
    return out;
  }

  restore(saved: Record<string, SavedPathState> | undefined): void {
    for (const [path, s] of Object.entries(saved ?? {})) {
      if (typeof s?.key !== 'string' || !Array.isArray(s.segments)) continue;
      const definition = this.definitionOf(path);
      if (definition === undefined) continue;
      const state: NumberState = {
        count: s.count ?? 0,
        sum: s.sum ?? 0,
        first: s.first,
        last: s.last,
        min: typeof s.min === 'number' ? s.min : Number.POSITIVE_INFINITY,
        max: typeof s.max === 'number' ? s.max : Number.NEGATIVE_INFINITY,
      };
      this.recordsOf(s.key).set(path, { path, segments: s.segments, definition, state });
    }
  }
}

function emptyNumberState(): NumberState {
  return {
    count: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    first: undefined,
    last: undefined,
  };
}

/** `count` and `sum` leave NaN out (the mean's terms); first and last keep it. */
function addNumber(s: NumberState, value: number): void {
  if (s.first === undefined) s.first = value;
  s.last = value;
  if (Number.isNaN(value)) return;
  s.count++;
  s.sum += value;
  if (value < s.min) s.min = value;
  if (value > s.max) s.max = value;
}
