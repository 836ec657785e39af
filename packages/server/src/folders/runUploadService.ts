import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { type Principal, requireRole } from '../auth/roles.js';
import type { Database, Queryable } from '../db/database.js';
import { safeName } from '../http/names.js';
import { ServerError } from '../http/serverError.js';
import { deleteRun as deleteRunRows } from '../ingest/runRows.js';
import { folderPath } from './folderPath.js';
import { findFolder, folderNotFound, folderUser, makeFolder } from './folderService.js';

export const CONFLICT_STRATEGIES = ['skip', 'error', 'new', 'replace'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

/** What the client does next (docs/PROTOCOL.md, "Folders and t9k uploads"). */
export interface UploadPlan {
  /** `upload`: sync into runId; `skip`: nothing to send; `new`: sync into the new runId under `name`; `replace`: sync into stagingRunId, then commit. */
  action: 'upload' | 'skip' | 'new' | 'replace';
  folder: string;
  project: string;
  runId: string;
  name: string;
  /** The runs of the folder that made this a conflict (same id or same name). */
  existing: string[];
  stagingRunId?: string;
  uploadId?: string;
}

/** A replace-upload left uncommitted this long is dropped with its staging run. */
const STALE_UPLOAD = "interval '1 day'";
/** Rows of a replaced run are kept this long for reads that found it just before the swap. */
const REPLACED_GRACE = "interval '5 minutes'";
/** A run that says it is live and sent something this recently still has a writer: it is not replaced. */
const LIVE_WINDOW = "interval '45 seconds'";
const NOT_STAGING = '(run_id NOT IN (SELECT staging_run_id FROM run_uploads WHERE project = $1))';

/** A new run id (8 lowercase letters and digits, as the engine makes them) that the project does not have. */
async function freeRunId(db: Queryable, project: string): Promise<string> {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    const id = [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
    const { rows } = await db.query('SELECT 1 FROM runs WHERE project = $1 AND run_id = $2', [project, id]);
    if (rows.length === 0) return id;
  }
}

function text(value: unknown, what: string, max = 1024): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw new ServerError(400, 'INVALID_ARGUMENT', `${what} must be a string of at most ${max} characters`);
  }
  return value;
}

/** Runs of the project that conflict with an upload of (id, name): the same id, or the same name. */
async function conflicts(db: Queryable, project: string, runId: string, name: string) {
  const { rows } = await db.query<{ run_id: string; name: string | null; live: boolean }>(
    `SELECT run_id, name, (state IN ('running', 'preempting') AND received_at > now() - ${LIVE_WINDOW}) AS live
     FROM runs WHERE project = $1 AND (run_id = $2 OR name = $3) AND ${NOT_STAGING}
     ORDER BY (run_id = $2) DESC, received_at DESC`,
    [project, runId, name],
  );
  return rows;
}

function refuseLive(project: string, runs: { run_id: string; live: boolean }[]): void {
  const live = runs.find((r) => r.live);
  if (live) {
    throw new ServerError(
      409,
      'STATE_TRANSITION',
      `run ${project}/${live.run_id} is still running (its client is sending): it cannot be replaced until it ends`,
    );
  }
}

/** t9k's alternative name: the one asked for when it is free, else `<name>-2`, `-3`, ... */
async function alternativeName(db: Queryable, project: string, name: string, wanted?: string): Promise<string> {
  const { rows } = await db.query<{ name: string }>(
    'SELECT name FROM runs WHERE project = $1 AND (name = $2 OR left(name, $3) = $4)',
    [project, wanted ?? '', name.length + 1, `${name}-`],
  );
  const taken = new Set(rows.map((r) => r.name));
  if (wanted && !taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${name}-${n}`)) return `${name}-${n}`;
}

/** Drops replace-uploads nobody committed for a day, with their staging runs. */
async function dropStaleUploads(client: pg.PoolClient, project: string): Promise<void> {
  const { rows } = await client.query<{ pk: string }>(
    `WITH stale AS (DELETE FROM run_uploads WHERE project = $1 AND created_at < now() - ${STALE_UPLOAD}
       RETURNING staging_run_id)
     SELECT r.pk FROM runs r JOIN stale s ON r.project = $1 AND r.run_id = s.staging_run_id`,
    [project],
  );
  for (const row of rows) await deleteRunRows(client, Number(row.pk));
}

/**
 * Decides where a run goes in a folder (t9k's upload): resolves the folder (making it with `makeFolder`, else
 * 404 FOLDER_NOT_FOUND), then, holding the folder's row so that two uploads decide one after the other, looks for
 * a run with the same id or name and applies `conflictStrategy`. The run id it answers is reserved (an empty run
 * is created), so a second upload of the same name meets the first one's.
 */
export async function planUpload(db: Database, principal: Principal, body: Record<string, unknown>) {
  const strategy = body.conflictStrategy ?? 'new';
  if (!CONFLICT_STRATEGIES.includes(strategy as ConflictStrategy)) {
    throw new ServerError(400, 'INVALID_ARGUMENT', `conflictStrategy must be one of ${CONFLICT_STRATEGIES.join(', ')}`);
  }
  const run = (body.run ?? {}) as Record<string, unknown>;
  const localId = safeName('run id', run.id);
  const name = text(run.name, 'run.name') || localId;
  const wanted = text(run.alternativeName, 'run.alternativeName') || undefined;
  const folder = folderPath(body.folder ?? 'default', await folderUser(db, principal));
  requireRole(principal, folder.project, 'write');
  const { project } = folder;
  return db.transaction(async (client): Promise<UploadPlan> => {
    if (!(await findFolder(client, folder, true))) {
      if (body.makeFolder !== true) throw folderNotFound(folder);
      await makeFolder(client, folder);
      await findFolder(client, folder, true);
    }
    await dropStaleUploads(client, project);
    const found = await conflicts(client, project, localId, name);
    const plan: UploadPlan = {
      action: 'upload',
      folder: folder.path,
      project,
      runId: localId,
      name,
      existing: found.map((r) => r.run_id),
    };
    if (found.length > 0) {
      if (strategy === 'skip') return { ...plan, action: 'skip', runId: found[0].run_id };
      if (strategy === 'error') {
        throw new ServerError(
          409,
          'RUN_EXISTS',
          `folder ${folder.path} already has a run with id ${localId} or name ${JSON.stringify(name)} (${plan.existing.join(', ')})`,
          { existing: plan.existing },
        );
      }
      if (strategy === 'replace') {
        refuseLive(project, found);
        const uploadId = randomBytes(8).toString('hex');
        const stagingRunId = `replacing-${uploadId}`;
        await client.query(
          'INSERT INTO run_uploads (id, project, staging_run_id, target_run_id, token_id) VALUES ($1, $2, $3, $4, $5)',
          [uploadId, project, stagingRunId, localId, principal.tokenId],
        );
        return { ...plan, action: 'replace', uploadId, stagingRunId };
      }
      plan.action = 'new';
      plan.runId = await freeRunId(client, project);
      if (found.some((r) => r.name === name)) plan.name = await alternativeName(client, project, name, wanted);
    }
    // Readers list the reserved run under its name until its run.json arrives.
    await client.query(
      `INSERT INTO runs (project, run_id, name, record) VALUES ($1, $2, $3, jsonb_build_object('name', $3::text))`,
      [project, plan.runId, plan.name],
    );
    return plan;
  });
}

/**
 * Swaps a replace-upload in, in one transaction: the runs of the folder with the target id or the staged run's
 * name are removed and the staged run takes the target id. A reader sees the old run or the new one, never a
 * mix: both are whole runs under their own keys until the swap, and the old one's rows outlive it for a few
 * minutes for reads already under way.
 */
export async function commitUpload(db: Database, principal: Principal, uploadId: string) {
  const result = await db.transaction(async (client) => {
    const { rows } = await client.query<{ project: string; staging_run_id: string; target_run_id: string }>(
      'SELECT project, staging_run_id, target_run_id FROM run_uploads WHERE id = $1 FOR UPDATE',
      [uploadId],
    );
    const upload = rows[0];
    if (!upload) throw new ServerError(404, 'UPLOAD_NOT_FOUND', `no upload ${uploadId} in progress`);
    requireRole(principal, upload.project, 'write');
    const { project, staging_run_id: staging, target_run_id: target } = upload;
    await client.query('SELECT 1 FROM folders WHERE project = $1 FOR UPDATE', [project]);
    const staged = await client.query<{ pk: string; name: string | null }>(
      'SELECT pk, name FROM runs WHERE project = $1 AND run_id = $2 FOR UPDATE',
      [project, staging],
    );
    if (!staged.rows[0]) {
      throw new ServerError(409, 'UPLOAD_INCOMPLETE', `nothing was uploaded into ${project}/${staging} yet`);
    }
    const stagedPk = Number(staged.rows[0].pk);
    await client.query('DELETE FROM run_uploads WHERE id = $1', [uploadId]);
    const old = await client.query<{ pk: string; run_id: string; live: boolean }>(
      `SELECT pk, run_id, (state IN ('running', 'preempting') AND received_at > now() - ${LIVE_WINDOW}) AS live
       FROM runs WHERE project = $1 AND pk <> $4 AND (run_id = $2 OR name = $3) AND ${NOT_STAGING} FOR UPDATE`,
      [project, target, staged.rows[0].name ?? target, stagedPk],
    );
    refuseLive(project, old.rows);
    for (const row of old.rows) {
      // The run's row goes now (lists and reads by name see the new run); its bulk rows stay a little longer.
      await client.query('DELETE FROM runs WHERE pk = $1', [row.pk]);
      await client.query('INSERT INTO replaced_run_data (run_pk) VALUES ($1) ON CONFLICT DO NOTHING', [row.pk]);
    }
    const id = JSON.stringify({ id: target });
    await client.query(`UPDATE runs SET run_id = $2, record = record || $3::jsonb WHERE pk = $1`, [
      stagedPk,
      target,
      id,
    ]);
    await client.query(`UPDATE run_documents SET body = body || $2::jsonb WHERE run_pk = $1 AND name = 'run.json'`, [
      stagedPk,
      id,
    ]);
    return { project, runId: target, replaced: old.rows.map((r) => r.run_id) };
  });
  await purgeReplacedRuns(db);
  return result;
}

/** Removes the rows of runs replaced more than a few minutes ago. */
async function purgeReplacedRuns(db: Database): Promise<void> {
  const { rows } = await db.query<{ run_pk: string }>(
    `SELECT run_pk FROM replaced_run_data WHERE replaced_at < now() - ${REPLACED_GRACE} LIMIT 100`,
  );
  for (const row of rows) {
    await db.transaction(async (client) => {
      await deleteRunRows(client, Number(row.run_pk));
      await client.query('DELETE FROM replaced_run_data WHERE run_pk = $1', [row.run_pk]);
    });
  }
}
