import type { SweepConfig } from '../config/sweepConfig.js';
import type { AgentRecord, SweepRecord, SweepSnapshot, SweepStatus, TrialRecord } from './sweepRecords.js';

/** Where a sweep lives: its project and id. */
export interface SweepRef {
  project: string;
  id: string;
}

/** A claim's outcome: the trial this agent must run now, a reason to wait, or the end of the sweep. */
export type Claim =
  | { kind: 'trial'; trial: TrialRecord }
  | { kind: 'wait'; reason: string }
  | { kind: 'done'; reason: string };

/**
 * The sweep's shared state: everything agents and the CLI change goes through this, so several agents
 * (processes on one machine through the local store, machines through a server) share one sweep. Each method
 * is atomic: `claim` decides the next trial (controller/nextTrial.ts) and records it in one step, so two agents
 * never get the same grid point and run_cap holds.
 *
 * FileSweepState implements it on the local store (a lock file per sweep). A server-backed implementation would
 * run the same methods as requests: claim/updateTrial/setStatus in one database transaction each (SELECT ...
 * FOR UPDATE on the sweep row, nextTrial() on the server), agent heartbeats as rows with a timestamp, and stop
 * requests delivered with the run's sync acknowledgement instead of a file.
 */
export interface SweepState {
  create(project: string, config: SweepConfig): Promise<SweepRecord>;
  /** A sweep by `id` or `project/id`; SWEEP_NOT_FOUND when none. */
  resolve(ref: string): Promise<SweepRef>;
  /** The sweep, its trials (crashed ones marked as such) and its agents. */
  snapshot(ref: SweepRef): Promise<SweepSnapshot>;
  setStatus(ref: SweepRef, state: SweepStatus): Promise<SweepRecord>;
  /** Marks trials of dead agents crashed, then decides and records the next trial for `agent`. */
  claim(ref: SweepRef, agent: AgentRecord): Promise<Claim>;
  updateTrial(ref: SweepRef, trialId: string, change: Partial<TrialRecord>): Promise<TrialRecord>;
  /** Records an agent's heartbeat (and its end, with `endedAt`). */
  beat(ref: SweepRef, agent: AgentRecord): Promise<void>;
  /** Asks a running trial's run to stop (run.stopRequested) and records why. */
  requestStop(ref: SweepRef, trialId: string, reason: string): Promise<void>;
}
