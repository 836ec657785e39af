import { InvalidValueError } from '../errors/runlogError.js';
import type { T9kMetrics } from './t9kMetrics.js';

/** An input or output of a run (t9k's associations): an artifact version it used or logged. */
export interface T9kAssociation {
  /** `project/name:vN` (a distributed part not finished yet: `project/name`). */
  name: string;
  type: string;
  digest?: string;
}

/** t9k's to_dict, in runlog's camelCase (parseFromDict also reads t9k's snake_case names). */
export interface T9kRunDict {
  name: string;
  labels: string[];
  description: string;
  hparams: Record<string, unknown>;
  metrics: T9kMetrics;
  /** The run's state (`run.state`; t9k's status). */
  status: string;
  startTimestamp: string | null;
  endTimestamp: string | null;
  platform: Record<string, unknown>;
  git: Record<string, unknown> | null;
  associations: { inputs: T9kAssociation[]; outputs: T9kAssociation[] };
  alternativeName: string | null;
  /** runlog's identity of the run ('project/id'); absent in a dict from t9k. */
  path?: string;
  /** The run's folder (t9k's `local`). */
  local?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function pick(dict: Record<string, unknown>, camel: string, snake = camel): unknown {
  return dict[camel] !== undefined ? dict[camel] : dict[snake];
}

function field<T>(
  dict: Record<string, unknown>,
  name: string,
  ok: (v: unknown) => boolean,
  fallback: T,
  snake?: string,
): T {
  const value = pick(dict, name, snake);
  if (value === undefined || value === null) return fallback;
  if (!ok(value)) throw new InvalidValueError(`parseFromDict: ${name} has the wrong type`, 'INVALID_ARGUMENT');
  return value as T;
}

const isString = (v: unknown) => typeof v === 'string';
const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * A run rebuilt from a dict (t9k's parse_from_dict): read-only, deeply frozen, with the dict's fields and
 * `toDict()`. Accepts runlog's `toDict()` output, t9k's snake_case names, and t9k's `{ metadata: {...}, hparams,
 * metrics, platform, git }` form.
 * @example const view = Run.parseFromDict(await run.toDict()); view.metrics.train[0].step;
 */
export class T9kRunRecord implements T9kRunDict {
  readonly name: string;
  readonly labels: string[];
  readonly description: string;
  readonly hparams: Record<string, unknown>;
  readonly metrics: T9kMetrics;
  readonly status: string;
  readonly startTimestamp: string | null;
  readonly endTimestamp: string | null;
  readonly platform: Record<string, unknown>;
  readonly git: Record<string, unknown> | null;
  readonly associations: { inputs: T9kAssociation[]; outputs: T9kAssociation[] };
  readonly alternativeName: string | null;
  readonly path?: string;
  readonly local?: string;

  constructor(input: unknown) {
    if (!isObject(input))
      throw new InvalidValueError('parseFromDict takes an object (a toDict() result)', 'INVALID_ARGUMENT');
    const dict = structuredClone(isObject(input.metadata) ? { ...input.metadata, ...input } : input);
    this.name = field(dict, 'name', isString, '');
    this.labels = field(dict, 'labels', isStrings, []);
    this.description = field(dict, 'description', isString, '');
    this.hparams = field(dict, 'hparams', isObject, {});
    this.metrics = field(dict, 'metrics', isObject, {}) as T9kMetrics;
    this.status = field(dict, 'status', isString, field(dict, 'state', isString, ''));
    this.startTimestamp = field(dict, 'startTimestamp', isString, null, 'start_timestamp');
    this.endTimestamp = field(dict, 'endTimestamp', isString, null, 'end_timestamp');
    this.platform = field(dict, 'platform', isObject, {});
    this.git = field(dict, 'git', isObject, null);
    const associations = field<Record<string, unknown>>(dict, 'associations', isObject, {});
    this.associations = {
      inputs: (associations.inputs ?? associations.input ?? []) as T9kAssociation[],
      outputs: (associations.outputs ?? associations.output ?? []) as T9kAssociation[],
    };
    this.alternativeName = field(dict, 'alternativeName', isString, null, 'alternative_name');
    const path = field<string | undefined>(dict, 'path', isString, undefined);
    const local = field<string | undefined>(dict, 'local', isString, undefined);
    if (path !== undefined) this.path = path;
    if (local !== undefined) this.local = local;
    deepFreeze(this);
  }

  /** The dict again (a copy that may be changed). */
  toDict(): T9kRunDict {
    return structuredClone({ ...this });
  }
}
