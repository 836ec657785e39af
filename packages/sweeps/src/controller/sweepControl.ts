import { RunlogError } from '@runlog/core';
import { loadSweepConfig } from '../config/loadSweepConfig.js';
import type { SweepConfig } from '../config/sweepConfig.js';
import { validateSweepConfig } from '../config/validateSweepConfig.js';
import { openSweepState } from '../state/openSweepState.js';
import type { SweepRecord, SweepStatus } from '../state/sweepRecords.js';
import type { SweepState } from '../state/sweepState.js';

export interface SweepOptions {
  /** Default: the config's `project`, else 'uncategorized'. */
  project?: string;
  /** The store root (default $RUNLOG_DIR, else ./runlog). */
  dir?: string;
  /** A runlog server to keep the sweep on, so agents on other machines share it (default $RUNLOG_HOST). */
  host?: string;
  /** The server's token (default $RUNLOG_API_KEY). */
  apiKey?: string;
  /** The sweep state (default: the server with `host`, else the local store). */
  state?: SweepState;
}

/**
 * Creates a sweep (wandb's `wandb.sweep`) from a config object, a validated SweepConfig or a YAML/JSON file path,
 * and returns its id. An invalid config throws SWEEP_CONFIG_INVALID naming the field; nothing is written then.
 * @example
 * const id = await sweep({ method: 'random', metric: { name: 'loss' }, parameters: { lr: { min: 0.001, max: 0.1 } } }, { project: 'digits' });
 */
export async function sweep(
  config: SweepConfig | Record<string, unknown> | string,
  options: SweepOptions = {},
): Promise<string> {
  return (await createSweep(config, options)).id;
}

/** As `sweep()`, returning the whole sweep record. */
export async function createSweep(
  config: SweepConfig | Record<string, unknown> | string,
  options: SweepOptions = {},
): Promise<SweepRecord> {
  const validated =
    typeof config === 'string'
      ? await loadSweepConfig(config)
      : 'raw' in config && Array.isArray(config.parameters)
        ? (config as SweepConfig)
        : validateSweepConfig(config);
  const state = options.state ?? openSweepState(options);
  return state.create(options.project ?? validated.project ?? 'uncategorized', validated);
}

/** `runlog sweep --pause/--resume/--stop/--cancel`, as wandb. */
export type SweepAction = 'pause' | 'resume' | 'stop' | 'cancel';

const TARGET: Record<SweepAction, SweepStatus> = {
  pause: 'paused',
  resume: 'running',
  stop: 'finished',
  cancel: 'canceled',
};

/**
 * Pauses (agents wait), resumes, stops (no new trials; running ones finish) or cancels (running trials are
 * stopped too) a sweep.
 */
export async function controlSweep(
  ref: string,
  action: SweepAction,
  options: Omit<SweepOptions, 'project'> = {},
): Promise<SweepRecord> {
  if (!(action in TARGET)) throw new RunlogError('INVALID_ARGUMENT', `unknown sweep action ${JSON.stringify(action)}`);
  const state = options.state ?? openSweepState(options);
  const found = await state.resolve(ref);
  const current = (await state.snapshot(found)).sweep;
  if (action === 'resume' && current.state !== 'paused')
    throw new RunlogError(
      'SWEEP_STATE',
      `sweep ${found.id} is ${current.state}, not paused: only a paused sweep resumes`,
    );
  return state.setStatus(found, TARGET[action]);
}
