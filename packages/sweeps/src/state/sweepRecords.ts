import type { FlatParams } from '../search/parameterValues.js';

/**
 * The sweep's own state, set by `runlog sweep --pause/--resume/--stop/--cancel` (wandb's states): running;
 * paused (agents wait); finished (no new trials, running ones go on: wandb's "stop"); canceled (running trials
 * are stopped too).
 */
export type SweepStatus = 'running' | 'paused' | 'finished' | 'canceled';

/** sweep.json (docs/FORMAT.md, "Sweeps"). */
export interface SweepRecord {
  formatVersion: number;
  id: string;
  project: string;
  state: SweepStatus;
  /** The config as written (wandb's snake_case YAML/JSON as a document). */
  config: Record<string, unknown>;
  /** The seed of random and bayes search (the config's `seed`, else chosen at creation). */
  seed: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * A trial's state: running; finished / failed (its program ended, exit code 0 / not 0); stopped (asked to stop
 * early: Hyperband or a cancelled sweep, `stopReason` says which); killed (stopped by a signal it did not
 * survive, after a stop request or an interrupted agent); crashed (its agent died with it: not counted against
 * run_cap, and a grid point whose trial crashed is run again).
 */
export type TrialState = 'running' | 'finished' | 'failed' | 'stopped' | 'killed' | 'crashed';

/** One trial in trials.json: a run of the sweep's program with one set of parameters. */
export interface TrialRecord {
  /** The run's id (the run lives at <project>/runs/<id>). */
  id: string;
  /** Claim order, from 0: the trial's seed for random and bayes search. */
  number: number;
  /** Parameter values by key ('optimizer.lr'); the run's config nests them. */
  params: FlatParams;
  /** The grid point (grid search). */
  gridIndex?: number;
  state: TrialState;
  /** Why the trial stopped early, or why it crashed. */
  stopReason?: string;
  agentId: string;
  createdAt: string;
  endedAt?: string;
  exitCode?: number | null;
  /** The metric's best value over the trial's history (its summary value when it logged none). */
  value?: number;
  /** The metric's last value. */
  lastValue?: number;
  /** How many values of the metric the trial logged (Hyperband's iterations). */
  steps?: number;
  /** The metric at each Hyperband bracket the trial reached, lower-is-better (a maximised metric negated). */
  bandValues?: Record<string, number>;
}

/** agents/<agent-id>.json: an agent's heartbeat, rewritten by that agent only. */
export interface AgentRecord {
  id: string;
  pid: number;
  host: string;
  startedAt: string;
  /** Last sign of life (ISO time). */
  at: string;
  endedAt?: string;
}

/** A sweep as one read sees it. */
export interface SweepSnapshot {
  sweep: SweepRecord;
  trials: TrialRecord[];
  agents: AgentRecord[];
}
