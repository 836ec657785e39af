import { decodeJsonValue, encodeJson } from '@runlog/core';
import type { AgentRecord, SweepRecord, SweepSnapshot, TrialRecord } from '@runlog/sweeps';
import type { Queryable } from '../db/database.js';
import { ServerError } from '../http/serverError.js';

/** A sweep as stored: its row key and record. */
export interface StoredSweep {
  pk: number;
  sweep: SweepRecord;
}

/** A document as jsonb: runlog's codec keeps NaN, ±Infinity and -0 (jsonb has none of them). */
export const toJsonb = (value: unknown): string => encodeJson(value);
const fromJsonb = <T>(value: unknown): T => decodeJsonValue(value) as T;

/** The sweep `project/id`, its row locked for the rest of the transaction when `lock`; 404 SWEEP_NOT_FOUND. */
export async function loadSweep(db: Queryable, project: string, id: string, lock = false): Promise<StoredSweep> {
  const { rows } = await db.query<{ pk: string; record: unknown }>(
    `SELECT pk, record FROM sweeps WHERE project = $1 AND sweep_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [project, id],
  );
  if (rows.length === 0) throw new ServerError(404, 'SWEEP_NOT_FOUND', `sweep ${project}/${id} not found`);
  return { pk: Number(rows[0].pk), sweep: fromJsonb<SweepRecord>(rows[0].record) };
}

/** The sweep's trials (in claim order) and agents, each agent with how long ago the server last heard of it. */
export async function loadSnapshot(
  db: Queryable,
  { pk, sweep }: StoredSweep,
): Promise<{ snapshot: SweepSnapshot; silentMs: Map<string, number> }> {
  const trials = await db.query<{ record: unknown }>(
    'SELECT record FROM sweep_trials WHERE sweep_pk = $1 ORDER BY number',
    [pk],
  );
  const agents = await db.query<{ record: unknown; silent_ms: number }>(
    'SELECT record, (extract(epoch FROM now() - seen_at) * 1000)::float8 AS silent_ms FROM sweep_agents WHERE sweep_pk = $1 ORDER BY agent_id',
    [pk],
  );
  const silentMs = new Map<string, number>();
  const agentRecords = agents.rows.map((row) => {
    const agent = fromJsonb<AgentRecord>(row.record);
    silentMs.set(agent.id, Number(row.silent_ms));
    return agent;
  });
  return {
    snapshot: { sweep, trials: trials.rows.map((row) => fromJsonb<TrialRecord>(row.record)), agents: agentRecords },
    silentMs,
  };
}

export async function insertSweep(db: Queryable, sweep: SweepRecord): Promise<void> {
  await db.query('INSERT INTO sweeps (project, sweep_id, record) VALUES ($1, $2, $3)', [
    sweep.project,
    sweep.id,
    toJsonb(sweep),
  ]);
}

export async function saveSweep(db: Queryable, pk: number, sweep: SweepRecord): Promise<void> {
  await db.query('UPDATE sweeps SET record = $2 WHERE pk = $1', [pk, toJsonb(sweep)]);
}

/** Inserts or rewrites a trial's row. */
export async function saveTrial(db: Queryable, pk: number, trial: TrialRecord): Promise<void> {
  await db.query(
    `INSERT INTO sweep_trials (sweep_pk, trial_id, number, grid_index, state, record) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (sweep_pk, trial_id) DO UPDATE SET state = EXCLUDED.state, record = EXCLUDED.record`,
    [pk, trial.id, trial.number, trial.gridIndex ?? null, trial.state, toJsonb(trial)],
  );
}

/** Records an agent's heartbeat at the server's time. */
export async function saveAgent(db: Queryable, pk: number, agent: AgentRecord): Promise<void> {
  await db.query(
    `INSERT INTO sweep_agents (sweep_pk, agent_id, record, seen_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (sweep_pk, agent_id) DO UPDATE SET record = EXCLUDED.record, seen_at = now()`,
    [pk, agent.id, toJsonb(agent)],
  );
}
