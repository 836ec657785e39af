import type { Queryable } from '../db/database.js';
import { ServerError } from '../http/serverError.js';

/** The run's primary key, creating an empty run on its first write (the first write of any kind creates it). */
export async function ensureRun(db: Queryable, project: string, runId: string): Promise<number> {
  const { rows } = await db.query<{ pk: string }>(
    `WITH created AS (
       INSERT INTO runs (project, run_id) VALUES ($1, $2) ON CONFLICT (project, run_id) DO NOTHING RETURNING pk
     )
     SELECT pk FROM created UNION ALL SELECT pk FROM runs WHERE project = $1 AND run_id = $2`,
    [project, runId],
  );
  if (rows[0]) return Number(rows[0].pk);
  // Another transaction created the run after this statement's snapshot was taken: a new statement sees it.
  return findRun(db, project, runId);
}

/** The run's primary key, or RUN_NOT_FOUND. */
export async function findRun(db: Queryable, project: string, runId: string): Promise<number> {
  const { rows } = await db.query<{ pk: string }>('SELECT pk FROM runs WHERE project = $1 AND run_id = $2', [
    project,
    runId,
  ]);
  if (rows.length === 0) throw new ServerError(404, 'RUN_NOT_FOUND', `run ${project}/${runId} not found`);
  return Number(rows[0].pk);
}

/** Removes a run and everything stored for it (rows without a foreign key are removed by hand). */
export async function deleteRun(db: Queryable, runPk: number): Promise<void> {
  await db.query('DELETE FROM history_rows WHERE run_pk = $1', [runPk]);
  await db.query('DELETE FROM history_blocks WHERE run_pk = $1', [runPk]);
  await db.query('DELETE FROM stream_lines WHERE run_pk = $1', [runPk]);
  await db.query('DELETE FROM run_output WHERE run_pk = $1', [runPk]);
  await db.query('DELETE FROM runs WHERE pk = $1', [runPk]);
}
