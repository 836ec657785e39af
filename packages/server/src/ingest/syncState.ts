import type { Database } from '../db/database.js';

export interface SyncState {
  streams: Record<string, { hwm: number; rows: number }>;
  documents: Record<string, { seq: number }>;
  files: Record<string, string>;
}

/** What the server has of a run: where a client that lost its own sync state resumes (empty for a new run). */
export async function syncState(db: Database, project: string, runId: string): Promise<SyncState> {
  const state: SyncState = { streams: {}, documents: {}, files: {} };
  const { rows: runs } = await db.query<{ pk: string }>('SELECT pk FROM runs WHERE project = $1 AND run_id = $2', [
    project,
    runId,
  ]);
  if (runs.length === 0) return state;
  const pk = runs[0].pk;
  const [streams, documents, files] = await Promise.all([
    db.query<{ stream: string; hwm: string; rows: string }>(
      'SELECT stream, hwm, rows FROM run_streams WHERE run_pk = $1',
      [pk],
    ),
    db.query<{ name: string; seq: number }>('SELECT name, seq FROM run_documents WHERE run_pk = $1', [pk]),
    db.query<{ path: string; sha256: string }>('SELECT path, sha256 FROM run_files WHERE run_pk = $1', [pk]),
  ]);
  for (const s of streams.rows) state.streams[s.stream] = { hwm: Number(s.hwm), rows: Number(s.rows) };
  for (const d of documents.rows) state.documents[d.name] = { seq: d.seq };
  for (const f of files.rows) state.files[f.path] = f.sha256;
  return state;
}
