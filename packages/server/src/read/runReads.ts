import { decodeJsonValue, type RunRecord } from '@runlog/core';
import { compileRunFilter, compileRunOrder, normalizeRecord, runtimeOf } from '@runlog/core/internal';
import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import { fromCoreError } from './coreErrors.js';

/** The seam's RunData, as the server has it: the record and summary as stored (value-codec encoded). */
export interface RunDataAnswer {
  record: Record<string, unknown>;
  summary: Record<string, unknown>;
  state: string;
  heartbeatAt: string | null;
  lastHistoryStep: number;
  runtime?: number;
}

interface RunRow {
  project: string;
  run_id: string;
  state: string | null;
  record: Record<string, unknown>;
  summary: Record<string, unknown>;
  received_at: Date;
  last_step: string | null;
  last_runtime: number | null;
}

/**
 * The run's columns with its last step and last `_runtime` from its newest history block (steps rise block by
 * block): one index probe per run. `FROM runs r ${RUN_LAST_BLOCK}` is how every run query reads them.
 */
const RUN_COLUMNS = `r.project, r.run_id, r.state, r.record, r.summary, r.received_at,
  last.last_step, last.last_runtime`;
/** Not a run a replace-upload is staging (`replacing-<upload>`): it is listed once the swap gives it its id. */
const NOT_STAGED =
  'NOT EXISTS (SELECT 1 FROM run_uploads u WHERE u.project = r.project AND u.staging_run_id = r.run_id)';
const RUN_LAST_BLOCK = `LEFT JOIN LATERAL (
    SELECT b.last_step, (b.keys->'_runtime'->>4)::float8 AS last_runtime FROM history_blocks b
    WHERE b.run_pk = r.pk ORDER BY b.block DESC LIMIT 1) last ON true`;

const LIVE_STATES = new Set(['running', 'preempting']);
const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * A run as readers see it. A run whose document says it is live but from which nothing arrived for three
 * heartbeat intervals reads as `crashed`, as the local store's readers judge a stale heartbeat.
 */
function toRunData(row: RunRow, now = Date.now()): RunDataAnswer {
  const stored = row.state ?? 'pending';
  // Defaults filled as the local store fills them (values stay as stored: value-codec encoded).
  const record = normalizeRecord(
    { ...row.record, state: stored, project: row.project, id: row.run_id } as Partial<RunRecord>,
    row.project,
    row.run_id,
  ) as unknown as Record<string, unknown>;
  const interval = Number(record.heartbeatIntervalMs) > 0 ? Number(record.heartbeatIntervalMs) : DEFAULT_HEARTBEAT_MS;
  const silent = now - row.received_at.getTime() > 3 * interval;
  const live = LIVE_STATES.has(stored);
  const runtime = runtimeOf(
    record as unknown as RunRecord,
    row.summary,
    row.last_runtime ?? undefined,
    live ? row.received_at.getTime() : undefined,
  );
  return {
    record,
    summary: row.summary,
    state: live && silent ? 'crashed' : stored,
    heartbeatAt: live ? row.received_at.toISOString() : null,
    lastHistoryStep: row.last_step === null ? -1 : Number(row.last_step),
    ...(runtime === undefined ? {} : { runtime }),
  };
}

export async function projects(db: Database, visible: (project: string) => boolean) {
  const { rows } = await db.query<{ name: string; runs: string; artifacts: string }>(
    `SELECT p.name, (SELECT count(*) FROM runs r WHERE r.project = p.name AND ${NOT_STAGED}) AS runs,
            (SELECT count(*) FROM artifact_collections c WHERE c.project = p.name) AS artifacts
     FROM (SELECT project AS name FROM runs UNION SELECT project FROM artifact_collections) p ORDER BY p.name`,
  );
  return rows
    .filter((r) => visible(r.name))
    .map((r) => ({ name: r.name, runCount: Number(r.runs), artifactCount: Number(r.artifacts) }));
}

export async function readRun(db: Database, project: string, runId: string): Promise<RunDataAnswer> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r ${RUN_LAST_BLOCK} WHERE r.project = $1 AND r.run_id = $2`,
    [project, runId],
  );
  if (!rows[0]) throw new ServerError(404, 'RUN_NOT_FOUND', `run ${project}/${runId} not found`);
  return toRunData(rows[0]);
}

/** Which runs to list: the seam's RunQuery, with the filter and order already parsed from the request. */
export interface RunListQuery {
  project?: string;
  filters?: unknown;
  order?: unknown;
}

/**
 * Runs of a project (or of every project the caller sees), filtered and ordered by core's own rules (the
 * seam's RunQuery: the same filter matches the same runs here and in a local store). Filters look at values
 * decoded (dates, NaN); the answer keeps them as stored.
 */
export async function listRuns(db: Database, query: RunListQuery, visible: (project: string) => boolean) {
  const { project } = query;
  let matches: ReturnType<typeof compileRunFilter>;
  let compare: ReturnType<typeof compileRunOrder>;
  try {
    matches = compileRunFilter(query.filters);
    compare = compileRunOrder(query.order as string | string[] | undefined);
  } catch (error) {
    throw fromCoreError(error);
  }
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r ${RUN_LAST_BLOCK} WHERE ($1::text IS NULL OR r.project = $1) AND ${NOT_STAGED}`,
    [project ?? null],
  );
  if (project !== undefined && rows.length === 0) {
    const known = await db.query('SELECT 1 FROM artifact_collections WHERE project = $1 LIMIT 1', [project]);
    if (known.rows.length === 0) throw new ServerError(404, 'RUN_NOT_FOUND', `project ${project} not found`);
  }
  const now = Date.now();
  const listed = rows
    .filter((r) => visible(r.project))
    .map((r) => {
      const answer = toRunData(r, now);
      const facts = {
        record: decodeJsonValue(answer.record) as RunRecord,
        summary: decodeJsonValue(answer.summary) as Record<string, unknown>,
        state: answer.state as RunRecord['state'],
        runtime: answer.runtime,
      };
      return { answer, facts };
    });
  let kept: typeof listed;
  try {
    kept = listed.filter((run) => matches(run.facts)).sort((a, b) => compare(a.facts, b.facts));
  } catch (error) {
    throw fromCoreError(error);
  }
  return { runs: kept.map((run) => run.answer), skipped: [] };
}

export async function metricDefinitions(db: Database, project: string, runId: string): Promise<unknown[]> {
  const { rows } = await db.query<{ metrics: { definitions?: unknown[] } | null }>(
    'SELECT metrics FROM runs WHERE project = $1 AND run_id = $2',
    [project, runId],
  );
  if (!rows[0]) throw new ServerError(404, 'RUN_NOT_FOUND', `run ${project}/${runId} not found`);
  return Array.isArray(rows[0].metrics?.definitions) ? rows[0].metrics.definitions : [];
}
