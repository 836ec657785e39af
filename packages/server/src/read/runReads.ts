import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';

/** The seam's RunData, as the server has it: the record and summary as stored (value-codec encoded). */
export interface RunDataAnswer {
  record: Record<string, unknown>;
  summary: Record<string, unknown>;
  state: string;
  heartbeatAt: string | null;
  lastHistoryStep: number;
}

interface RunRow {
  project: string;
  run_id: string;
  state: string | null;
  record: Record<string, unknown>;
  summary: Record<string, unknown>;
  received_at: Date;
  last_step: string | null;
}

const RUN_COLUMNS = `r.project, r.run_id, r.state, r.record, r.summary, r.received_at,
  (SELECT max(b.last_step) FROM history_blocks b WHERE b.run_pk = r.pk) AS last_step`;

const LIVE_STATES = new Set(['running', 'preempting']);
const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * A run as readers see it. A run whose document says it is live but from which nothing arrived for three
 * heartbeat intervals reads as `crashed`, as the local store's readers judge a stale heartbeat.
 */
function toRunData(row: RunRow, now = Date.now()): RunDataAnswer {
  const record: Record<string, unknown> = { ...row.record, project: row.project, id: row.run_id };
  const stored = row.state ?? 'pending';
  const interval = Number(record.heartbeatIntervalMs) > 0 ? Number(record.heartbeatIntervalMs) : DEFAULT_HEARTBEAT_MS;
  const silent = now - row.received_at.getTime() > 3 * interval;
  return {
    record,
    summary: row.summary,
    state: LIVE_STATES.has(stored) && silent ? 'crashed' : stored,
    heartbeatAt: LIVE_STATES.has(stored) ? row.received_at.toISOString() : null,
    lastHistoryStep: row.last_step === null ? -1 : Number(row.last_step),
  };
}

export async function projects(db: Database, visible: (project: string) => boolean) {
  const { rows } = await db.query<{ name: string; runs: string; artifacts: string }>(
    `SELECT p.name, (SELECT count(*) FROM runs r WHERE r.project = p.name) AS runs,
            (SELECT count(*) FROM artifact_collections c WHERE c.project = p.name) AS artifacts
     FROM (SELECT project AS name FROM runs UNION SELECT project FROM artifact_collections) p ORDER BY p.name`,
  );
  return rows
    .filter((r) => visible(r.name))
    .map((r) => ({ name: r.name, runCount: Number(r.runs), artifactCount: Number(r.artifacts) }));
}

export async function readRun(db: Database, project: string, runId: string): Promise<RunDataAnswer> {
  const { rows } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.project = $1 AND r.run_id = $2`, [
    project,
    runId,
  ]);
  if (!rows[0]) throw new ServerError(404, 'RUN_NOT_FOUND', `run ${project}/${runId} not found`);
  return toRunData(rows[0]);
}

/**
 * Runs of a project (or of every project the caller sees), newest first (the seam's default order). Filters
 * and other orders are evaluated by core's run filter once it is shared with the server (see docs/SERVER.md).
 */
export async function listRuns(db: Database, project: string | undefined, visible: (project: string) => boolean) {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r WHERE ($1::text IS NULL OR r.project = $1)
     ORDER BY r.created_at DESC NULLS LAST, r.pk DESC`,
    [project ?? null],
  );
  if (project !== undefined && rows.length === 0) {
    const known = await db.query('SELECT 1 FROM artifact_collections WHERE project = $1 LIMIT 1', [project]);
    if (known.rows.length === 0) throw new ServerError(404, 'RUN_NOT_FOUND', `project ${project} not found`);
  }
  const now = Date.now();
  return { runs: rows.filter((r) => visible(r.project)).map((r) => toRunData(r, now)), skipped: [] };
}

export async function metricDefinitions(db: Database, project: string, runId: string): Promise<unknown[]> {
  const { rows } = await db.query<{ metrics: { definitions?: unknown[] } | null }>(
    'SELECT metrics FROM runs WHERE project = $1 AND run_id = $2',
    [project, runId],
  );
  if (!rows[0]) throw new ServerError(404, 'RUN_NOT_FOUND', `run ${project}/${runId} not found`);
  return Array.isArray(rows[0].metrics?.definitions) ? rows[0].metrics.definitions : [];
}
