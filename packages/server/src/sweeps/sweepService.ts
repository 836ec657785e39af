import {
  AGENT_STALE_MS,
  type AgentRecord,
  applyStatus,
  type Claim,
  claimNext,
  markCrashed,
  newSweepRecord,
  type SweepRecord,
  type SweepSnapshot,
  type SweepStatus,
  type TrialRecord,
  validateSweepConfig,
} from '@runlog/sweeps';
import type pg from 'pg';
import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import {
  insertSweep,
  loadSnapshot,
  loadSweep,
  type StoredSweep,
  saveAgent,
  saveSweep,
  saveTrial,
} from './sweepRows.js';

/**
 * The sweep state of packages/sweeps (SweepState) on the server's database. Every change runs in one transaction
 * holding the sweep's row (SELECT ... FOR UPDATE), with the same pure transitions the local store runs under its
 * lock file: claims from several agents on several machines are serialised, each grid point goes to one live
 * trial, run_cap holds. An agent is alive while the server heard from it within AGENT_STALE_MS (the server's own
 * clock: no process ids across machines); its running trials are then crashed.
 */
export class SweepService {
  constructor(private readonly db: Database) {}

  async create(project: string, rawConfig: unknown): Promise<SweepRecord> {
    const record = newSweepRecord(
      project,
      sweepErrors(() => validateSweepConfig(rawConfig)),
    );
    await insertSweep(this.db, record);
    return record;
  }

  /** The projects (among `visible`) holding a sweep with this id. */
  async projectsOf(id: string): Promise<string[]> {
    const { rows } = await this.db.query<{ project: string }>(
      'SELECT project FROM sweeps WHERE sweep_id = $1 ORDER BY project',
      [id],
    );
    return rows.map((r) => r.project);
  }

  snapshot(project: string, id: string): Promise<SweepSnapshot> {
    return this.locked(project, id, async (_client, _stored, snapshot) => snapshot);
  }

  setStatus(project: string, id: string, state: SweepStatus): Promise<SweepRecord> {
    return this.locked(project, id, async (client, stored) => {
      sweepErrors(() => applyStatus(stored.sweep, state));
      await saveSweep(client, stored.pk, stored.sweep);
      return stored.sweep;
    });
  }

  claim(project: string, id: string, agent: AgentRecord): Promise<Claim> {
    return this.locked(project, id, async (client, stored, snapshot) => {
      await saveAgent(client, stored.pk, agent); // the claim is a sign of life too
      if (!snapshot.agents.some((a) => a.id === agent.id)) snapshot.agents.push(agent);
      const claim = sweepErrors(() => claimNext(snapshot, agent));
      if (claim.kind === 'trial') await saveTrial(client, stored.pk, claim.trial);
      return claim;
    });
  }

  updateTrial(project: string, id: string, trialId: string, change: Partial<TrialRecord>): Promise<TrialRecord> {
    return this.locked(project, id, async (client, stored, snapshot) => {
      const trial = snapshot.trials.find((t) => t.id === trialId);
      if (!trial) throw new ServerError(404, 'SWEEP_NOT_FOUND', `trial ${trialId} is not in sweep ${id}`);
      Object.assign(trial, change);
      await saveTrial(client, stored.pk, trial);
      return trial;
    });
  }

  async beat(project: string, id: string, agent: AgentRecord): Promise<void> {
    const stored = await loadSweep(this.db, project, id);
    await saveAgent(this.db, stored.pk, agent);
  }

  /** Runs `work` holding the sweep's row, after crashing the trials of agents gone silent (saved with the rest). */
  private locked<T>(
    project: string,
    id: string,
    work: (client: pg.PoolClient, stored: StoredSweep, snapshot: SweepSnapshot) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (client) => {
      const stored = await loadSweep(client, project, id, true);
      const { snapshot, silentMs } = await loadSnapshot(client, stored);
      const alive = (agent: AgentRecord | undefined) =>
        agent !== undefined && !agent.endedAt && (silentMs.get(agent.id) ?? 0) <= AGENT_STALE_MS;
      for (const trial of markCrashed(snapshot, alive)) await saveTrial(client, stored.pk, trial);
      return work(client, stored, snapshot);
    });
  }
}

/** The sweeps package's errors as HTTP answers: a bad config 400, a state change refused 409. */
function sweepErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SWEEP_CONFIG_INVALID') throw new ServerError(400, code, (error as Error).message);
    if (code === 'SWEEP_STATE') throw new ServerError(409, code, (error as Error).message);
    throw error;
  }
}
