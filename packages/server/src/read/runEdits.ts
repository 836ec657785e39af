import type { PendingRunOptions, RunPatch, RunRecord, RunState } from '@runlog/core';
import { assertTransition, checkRunPatch, pendingRunRecord, RUN_FILES } from '@runlog/core/internal';
import type pg from 'pg';
import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import { type DocumentName, updateRunColumns } from '../ingest/documents.js';
import { wellFormed } from '../ingest/jsonLineBatch.js';
import { deleteRun as deleteRunRows } from '../ingest/runRows.js';
import { checked } from './coreErrors.js';
import { type RunDataAnswer, readRun } from './runReads.js';

const LIVE_STATES = new Set(['running', 'preempting']);
const RECORD_FIELDS = ['name', 'tags', 'notes', 'group', 'jobType', 'config'] as const;

/**
 * Replaces a document of the run as an edit on the server. Its sequence number becomes the edit's time (never
 * lower than the stored one), so a client that syncs an older copy of the file later does not undo the edit.
 */
async function writeDocument(
  client: pg.PoolClient,
  runPk: number,
  name: DocumentName,
  body: Record<string, unknown>,
): Promise<void> {
  const text = JSON.stringify(wellFormed(body));
  await client.query(
    `INSERT INTO run_documents (run_pk, name, seq, body) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (run_pk, name) DO UPDATE SET seq = greatest(run_documents.seq, excluded.seq), body = excluded.body`,
    [runPk, name, Date.now(), text],
  );
  await updateRunColumns(client, runPk, name, body, text);
}

interface LockedRun {
  pk: number;
  record: Record<string, unknown>;
  summary: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
}

async function lockRun(client: pg.PoolClient, project: string, runId: string): Promise<LockedRun> {
  const { rows } = await client.query<LockedRun & { pk: string }>(
    'SELECT pk, record, summary, metrics FROM runs WHERE project = $1 AND run_id = $2 FOR UPDATE',
    [project, runId],
  );
  if (!rows[0]) throw new ServerError(404, 'RUN_NOT_FOUND', `run ${project}/${runId} not found`);
  return { ...rows[0], pk: Number(rows[0].pk) };
}

/**
 * The seam's updateRun: run.json fields replaced, summary keys set and removed (values as the client's codec
 * encoded them), and the keys edited recorded in metrics.json's "manual" map as a local store does, in one
 * transaction. The patch is checked by core's rules first: a refused edit stores nothing.
 */
export async function updateRun(db: Database, project: string, runId: string, patch: RunPatch): Promise<RunDataAnswer> {
  checked(() => checkRunPatch(`${project}/${runId}`, patch));
  await db.transaction(async (client) => {
    const run = await lockRun(client, project, runId);
    const record: Record<string, unknown> = { ...run.record };
    for (const field of RECORD_FIELDS) if (patch[field] !== undefined) record[field] = patch[field];
    record.updatedAt = new Date().toISOString();
    await writeDocument(client, run.pk, RUN_FILES.run, { ...record, project, id: runId });
    const set = patch.summary?.set ?? {};
    const remove = (patch.summary?.remove ?? []).filter((k) => Object.hasOwn(run.summary, k));
    if (Object.keys(set).length === 0 && remove.length === 0) return;
    const summary: Record<string, unknown> = { ...run.summary, ...set };
    for (const key of remove) delete summary[key];
    await writeDocument(client, run.pk, RUN_FILES.summary, summary);
    if (!run.metrics) return;
    const previous = run.metrics.manual;
    const manual: Record<string, unknown> =
      previous && typeof previous === 'object' && !Array.isArray(previous) ? { ...previous } : {};
    for (const key of [...Object.keys(set), ...remove]) {
      if (Object.hasOwn(summary, key)) manual[key] = summary[key];
      else delete manual[key];
    }
    await writeDocument(client, run.pk, RUN_FILES.metrics, { ...run.metrics, manual });
  });
  return readRun(db, project, runId);
}

/** The seam's setRunState: requeue (`pending`) or fail a run, along core's allowed transitions only. */
export async function setRunState(
  db: Database,
  project: string,
  runId: string,
  state: unknown,
): Promise<RunDataAnswer> {
  const before = await readRun(db, project, runId);
  checked(() => assertTransition(`${project}/${runId}`, before.state as RunState, state));
  await db.transaction(async (client) => {
    const run = await lockRun(client, project, runId);
    const now = new Date().toISOString();
    const record = {
      ...run.record,
      project,
      id: runId,
      state,
      updatedAt: now,
      ...(state === 'failed' ? { finishedAt: run.record.finishedAt ?? now } : { finishedAt: null, exitCode: null }),
    };
    await writeDocument(client, run.pk, RUN_FILES.run, record);
  });
  return readRun(db, project, runId);
}

/** The seam's createRun: a pending run (its run.json only); RUN_EXISTS when the id is taken. */
export async function createRun(db: Database, project: string, options: PendingRunOptions): Promise<RunDataAnswer> {
  const record: RunRecord = checked(() => pendingRunRecord({ ...options, project }));
  await db.transaction(async (client) => {
    const { rows } = await client.query<{ pk: string }>(
      'INSERT INTO runs (project, run_id) VALUES ($1, $2) ON CONFLICT (project, run_id) DO NOTHING RETURNING pk',
      [project, record.id],
    );
    if (!rows[0])
      throw new ServerError(409, 'RUN_EXISTS', `run ${project}/${record.id} already exists; pick another id`);
    await writeDocument(client, Number(rows[0].pk), RUN_FILES.run, record as unknown as Record<string, unknown>);
  });
  return readRun(db, project, record.id);
}

/**
 * The seam's deleteRun: the run and everything stored for it, in one transaction; with `deleteArtifacts`, the
 * artifact versions it produced too (and the aliases on them). A run that looks alive needs `force`.
 */
export async function deleteRun(
  db: Database,
  project: string,
  runId: string,
  options: { force?: boolean; deleteArtifacts?: boolean },
): Promise<void> {
  const before = await readRun(db, project, runId);
  if (LIVE_STATES.has(before.state) && !options.force) {
    throw new ServerError(
      409,
      'STATE_TRANSITION',
      `run ${project}/${runId} is ${before.state} (its client is still sending); stop it first or pass force`,
    );
  }
  await db.transaction(async (client) => {
    const run = await lockRun(client, project, runId);
    if (options.deleteArtifacts) {
      const produced = `v.record->'producer'->>'project' = $1 AND v.record->'producer'->>'runId' = $2`;
      await client.query(
        `DELETE FROM artifact_aliases a USING artifact_versions v
         WHERE a.collection_pk = v.collection_pk AND a.version = v.version AND ${produced}`,
        [project, runId],
      );
      await client.query(`DELETE FROM artifact_versions v WHERE ${produced}`, [project, runId]);
    }
    await deleteRunRows(client, run.pk);
  });
}
