import { InvalidValueError } from '../errors/runlogError.js';
import type { Run } from './run.js';
import type { InitOptions } from './runOptions.js';

/**
 * What a sweep agent (@runlog/sweeps) hands the trial it starts: the run's id, project and store, the sweep's id
 * and the trial's parameters. A command gets it through environment variables, an in-code agent in-process.
 */
export interface SweepTrial {
  sweepId: string;
  runId: string;
  project: string;
  /** The agent's store root (a command inherits it as RUNLOG_DIR). */
  dir?: string;
  params: Record<string, unknown>;
  /** Called by init() with the trial's run as soon as it exists (the in-code agent watches it). */
  onRun?: (run: Run) => void;
}

/** The environment variables a sweep agent sets for a trial's command. */
export const SWEEP_ENV = {
  sweepId: 'RUNLOG_SWEEP_ID',
  runId: 'RUNLOG_RUN_ID',
  project: 'RUNLOG_PROJECT',
  params: 'RUNLOG_SWEEP_PARAMS',
} as const;

let inProcessTrial: SweepTrial | undefined;
let environmentTaken = false;

/** The in-code agent sets the trial its function runs before calling it; the function's first init() takes it. */
export function setSweepTrial(trial: SweepTrial | undefined): void {
  inProcessTrial = trial;
}

/** The trial the next init() belongs to: the in-process one, else (once per process) the agent's variables. */
export function takeSweepTrial(env: NodeJS.ProcessEnv = process.env): SweepTrial | undefined {
  if (inProcessTrial) {
    const trial = inProcessTrial;
    inProcessTrial = undefined;
    return trial;
  }
  const sweepId = env[SWEEP_ENV.sweepId];
  const runId = env[SWEEP_ENV.runId];
  if (environmentTaken || !sweepId || !runId) return undefined;
  environmentTaken = true;
  let params: unknown;
  try {
    params = JSON.parse(env[SWEEP_ENV.params] ?? '{}');
  } catch (error) {
    throw new InvalidValueError(
      `${SWEEP_ENV.params} is not JSON (${(error as Error).message}): start trials with \`runlog agent\``,
      'INVALID_ARGUMENT',
    );
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new InvalidValueError(`${SWEEP_ENV.params} must be a JSON object`, 'INVALID_ARGUMENT');
  return {
    sweepId,
    runId,
    project: env[SWEEP_ENV.project] || 'uncategorized',
    dir: env.RUNLOG_DIR || undefined,
    params: params as Record<string, unknown>,
  };
}

/** init()'s options inside a trial: the agent's run id, project and store win, the parameters join the config. */
export function trialOptions(options: InitOptions, trial: SweepTrial): InitOptions {
  return {
    ...options,
    id: trial.runId,
    project: trial.project,
    dir: trial.dir ?? options.dir,
    resume: undefined,
    config: { ...options.config, ...trial.params },
  };
}
