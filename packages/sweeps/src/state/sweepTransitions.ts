import { FORMAT_VERSION, RunlogError } from '@runlog/core';
import type { SweepConfig } from '../config/sweepConfig.js';
import { validateSweepConfig } from '../config/validateSweepConfig.js';
import { nextTrial } from '../controller/nextTrial.js';
import { randomId, randomSeed } from './sweepIds.js';
import type { AgentRecord, SweepRecord, SweepSnapshot, SweepStatus, TrialRecord } from './sweepRecords.js';
import type { Claim } from './sweepState.js';

// The state changes of a sweep as pure functions over a snapshot, shared by every backend (the local store under
// its lock, the server in one transaction), so both decide alike.

/** A new sweep's record. */
export function newSweepRecord(project: string, config: SweepConfig): SweepRecord {
  const now = new Date().toISOString();
  return {
    formatVersion: FORMAT_VERSION,
    id: randomId(),
    project,
    state: 'running',
    config: config.raw,
    seed: config.seed ?? randomSeed(),
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Running trials whose agent is gone become crashed (not counted against run_cap; a grid point is run again).
 * `alive` is the backend's liveness rule. Returns the trials changed.
 */
export function markCrashed(
  snapshot: SweepSnapshot,
  alive: (agent: AgentRecord | undefined) => boolean,
): TrialRecord[] {
  const agents = new Map(snapshot.agents.map((a) => [a.id, a]));
  const changed: TrialRecord[] = [];
  for (const trial of snapshot.trials) {
    if (trial.state !== 'running') continue;
    const agent = agents.get(trial.agentId);
    if (alive(agent)) continue;
    trial.state = 'crashed';
    trial.stopReason = agent ? `its agent (pid ${agent.pid} on ${agent.host}) died` : 'its agent is unknown';
    trial.endedAt ??= new Date().toISOString();
    changed.push(trial);
  }
  return changed;
}

/** Decides the next trial for `agent` (controller/nextTrial.ts) and adds it to the snapshot's trials. */
export function claimNext(snapshot: SweepSnapshot, agent: AgentRecord): Claim {
  const config = validateSweepConfig(snapshot.sweep.config);
  const next = nextTrial(config, snapshot);
  if (next.kind !== 'trial') return next;
  const trial: TrialRecord = {
    id: randomId(),
    number: next.number,
    params: next.params,
    ...(next.gridIndex === undefined ? {} : { gridIndex: next.gridIndex }),
    state: 'running',
    agentId: agent.id,
    createdAt: new Date().toISOString(),
  };
  snapshot.trials.push(trial);
  return { kind: 'trial', trial };
}

/** Sets the sweep's state (a cancelled sweep stays cancelled). */
export function applyStatus(sweep: SweepRecord, state: SweepStatus): SweepRecord {
  if (sweep.state === 'canceled' && state !== 'canceled')
    throw new RunlogError('SWEEP_STATE', `sweep ${sweep.id} was cancelled; create a new sweep instead`);
  sweep.state = state;
  sweep.updatedAt = new Date().toISOString();
  return sweep;
}
