import { RUN_FILES } from '@runlog/core/internal';
import type pg from 'pg';
import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import { wellFormed } from './jsonLineBatch.js';
import { ensureRun } from './runRows.js';

/** The whole-file documents of a run folder (docs/PROTOCOL.md, "Documents"). */
export const DOCUMENTS = [RUN_FILES.run, RUN_FILES.summary, RUN_FILES.metrics] as const;
export type DocumentName = (typeof DOCUMENTS)[number];

export function isDocument(value: string): value is DocumentName {
  return (DOCUMENTS as readonly string[]).includes(value);
}

export interface DocumentResult {
  name: DocumentName;
  seq: number;
  applied: boolean;
}

/**
 * Stores a document when `seq` is newer than the server's, in one transaction holding the document's row lock:
 * a late retry of an older version is acknowledged and ignored. run.json and summary.json also fill the run's
 * columns that lists filter and order by.
 */
export async function applyDocument(
  db: Database,
  project: string,
  runId: string,
  name: DocumentName,
  seq: number,
  body: Record<string, unknown>,
): Promise<DocumentResult> {
  if (name === RUN_FILES.run && (body.id !== runId || body.project !== project)) {
    throw new ServerError(
      400,
      'DOCUMENT_MISMATCH',
      `run.json names ${String(body.project)}/${String(body.id)}, not ${project}/${runId}`,
    );
  }
  return db.transaction(async (client) => {
    const runPk = await ensureRun(client, project, runId);
    const { rows } = await client.query<{ seq: number }>(
      'SELECT seq FROM run_documents WHERE run_pk = $1 AND name = $2 FOR UPDATE',
      [runPk, name],
    );
    if (rows.length > 0 && rows[0].seq >= seq) return { name, seq: rows[0].seq, applied: false };
    const text = JSON.stringify(wellFormed(body)); // jsonb refuses NUL and lone surrogates (docs/PROTOCOL.md)
    await client.query(
      `INSERT INTO run_documents (run_pk, name, seq, body) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (run_pk, name) DO UPDATE SET seq = excluded.seq, body = excluded.body`,
      [runPk, name, seq, text],
    );
    await updateRunColumns(client, runPk, name, body, text);
    return { name, seq, applied: true };
  });
}

function isoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export async function updateRunColumns(
  client: pg.PoolClient,
  runPk: number,
  name: DocumentName,
  body: Record<string, unknown>,
  text: string,
): Promise<void> {
  if (name === RUN_FILES.summary) {
    await client.query('UPDATE runs SET summary = $2::jsonb WHERE pk = $1', [runPk, text]);
  } else if (name === RUN_FILES.metrics) {
    await client.query('UPDATE runs SET metrics = $2::jsonb WHERE pk = $1', [runPk, text]);
  } else {
    const tags = Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string') : [];
    await client.query(
      `UPDATE runs SET record = $2::jsonb, name = $3, state = $4, tags = $5, group_name = $6, job_type = $7,
         created_at = $8, updated_at = $9 WHERE pk = $1`,
      [
        runPk,
        text,
        textOrNull(body.name),
        textOrNull(body.state),
        tags,
        textOrNull(body.group),
        textOrNull(body.jobType),
        isoTime(body.createdAt),
        isoTime(body.updatedAt),
      ],
    );
  }
}
