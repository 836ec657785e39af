import { InvalidValueError } from '../errors/runlogError.js';
import type { InitOptions } from './runOptions.js';

/** A point in a run's history: wandb's `resume_from`/`fork_from` ("<run>?_step=<N>" or `{ run, step }`). */
export interface RunStepPoint {
  /** The run id, `project/id` or `entity/project/id` (the entity is ignored: local runs have none). */
  run: string;
  step: number;
}

/** wandb's `reinit`: what init does while another run of this process is still current. */
export type ReinitMode = boolean | 'finish_previous' | 'return_previous' | 'create_new' | 'default';

/** Every option init() knows. */
const KNOWN = new Set([
  'project',
  'name',
  'id',
  'config',
  'tags',
  'notes',
  'group',
  'jobType',
  'dir',
  'resume',
  'mode',
  'host',
  'apiKey',
  'settings',
  'syncTensorboard',
  'entity',
  'reinit',
  'resumeFrom',
  'forkFrom',
  'allowValChange',
  'configExcludeKeys',
  'configIncludeKeys',
]);

/** wandb 0.19's init options that runlog does not implement, and what to use instead. */
const UNSUPPORTED: Record<string, string> = {
  magic: 'wandb magic auto-instruments Python frameworks; use the @runlog/tfjs or @runlog/onnx adapters',
  anonymous: 'runs are local; there is no account to be anonymous to',
  force: 'runs are local; there is no login to force',
  monitorGym: 'there is no gym in JavaScript; log the frames as Video values',
  saveCode: 'call run.logCode() after init',
  tensorboard: 'use syncTensorboard (a logdir) or settings.tensorboard',
};

const REINIT_MODES = [true, false, 'finish_previous', 'return_previous', 'create_new', 'default'];

/** Refuses an init option runlog does not know or does not implement: never silently ignored. */
export function checkOptionNames(options: object): void {
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined || KNOWN.has(key)) continue;
    const reason = UNSUPPORTED[key];
    throw new InvalidValueError(
      reason
        ? `init option ${key} (wandb) is not supported by runlog: ${reason}`
        : `unknown init option ${key}; init takes ${[...KNOWN].join(', ')}`,
      'INVALID_ARGUMENT',
    );
  }
  const { reinit, configExcludeKeys, configIncludeKeys, allowValChange } = options as InitOptions;
  if (reinit !== undefined && !REINIT_MODES.includes(reinit))
    throw new InvalidValueError(
      "reinit must be true, false, 'finish_previous', 'return_previous', 'create_new' or 'default'",
      'INVALID_ARGUMENT',
    );
  for (const [name, keys] of [
    ['configExcludeKeys', configExcludeKeys],
    ['configIncludeKeys', configIncludeKeys],
  ] as const)
    if (keys !== undefined && (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')))
      throw new InvalidValueError(`init option ${name} must be an array of strings`, 'INVALID_ARGUMENT');
  if (configExcludeKeys && configIncludeKeys)
    throw new InvalidValueError('pass configExcludeKeys or configIncludeKeys, not both', 'INVALID_ARGUMENT');
  if (allowValChange !== undefined && typeof allowValChange !== 'boolean')
    throw new InvalidValueError('init option allowValChange must be a boolean', 'INVALID_ARGUMENT');
}

/** wandb's config_include_keys/config_exclude_keys applied to init's config. */
export function filterInitConfig(options: InitOptions): Record<string, unknown> | undefined {
  const { config, configExcludeKeys: exclude, configIncludeKeys: include } = options;
  if (!config || (!exclude && !include)) return config;
  return Object.fromEntries(
    Object.entries(config).filter(([key]) => (include ? include.includes(key) : !exclude?.includes(key))),
  );
}

/** `resumeFrom`/`forkFrom` as `{ run, step }`: the object, or wandb's string form "<run>?_step=<N>". */
export function parseStepPoint(name: 'resumeFrom' | 'forkFrom', value: unknown): RunStepPoint | undefined {
  if (value === undefined) return undefined;
  let point: { run?: unknown; step?: unknown } | undefined;
  if (typeof value === 'string') {
    const match = /^(.+)\?_step=(\d+)$/.exec(value);
    if (match) point = { run: match[1], step: Number(match[2]) };
  } else if (typeof value === 'object' && value !== null) point = value as { run?: unknown; step?: unknown };
  const { run, step } = point ?? {};
  if (
    typeof run !== 'string' ||
    run.length === 0 ||
    typeof step !== 'number' ||
    !Number.isSafeInteger(step) ||
    step < 0
  )
    throw new InvalidValueError(
      `${name} must be { run, step } (a run id and a step >= 0) or "<run>?_step=<step>", got ${JSON.stringify(value)}`,
      'INVALID_ARGUMENT',
    );
  return { run, step };
}

/** The project and id a step point names: `id`, `project/id` or `entity/project/id`. */
export function stepPointRun(point: RunStepPoint, project: string): { project: string; id: string } {
  const parts = point.run.split('/');
  if (parts.length > 3)
    throw new InvalidValueError(`run ${point.run} is not an id, project/id or entity/project/id`, 'INVALID_ARGUMENT');
  const id = parts[parts.length - 1];
  return { project: parts.length > 1 ? parts[parts.length - 2] : project, id };
}
