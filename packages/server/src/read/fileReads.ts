import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { RUN_FILES } from '@runlog/core/internal';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Database } from '../db/database.js';
import { safePath } from '../http/names.js';
import { ServerError } from '../http/serverError.js';
import { isDocument } from '../ingest/documents.js';

const STREAM_FILES: Record<string, string> = {
  history: RUN_FILES.history,
  system: RUN_FILES.system,
  alerts: RUN_FILES.alerts,
  artifacts: RUN_FILES.artifacts,
  output: RUN_FILES.output,
};

/** The run's files by name: its documents, its streams (as sizes) and its media and saved files, sorted. */
export async function listFiles(db: Database, runPk: number) {
  const [documents, streams, files] = await Promise.all([
    db.query<{ name: string; size: number }>(
      'SELECT name, octet_length(body::text) AS size FROM run_documents WHERE run_pk = $1',
      [runPk],
    ),
    db.query<{ stream: string; hwm: string }>('SELECT stream, hwm FROM run_streams WHERE run_pk = $1', [runPk]),
    db.query<{ path: string; size: string; updated_at: Date }>(
      'SELECT path, size, updated_at FROM run_files WHERE run_pk = $1',
      [runPk],
    ),
  ]);
  const now = new Date().toISOString();
  const list = [
    ...documents.rows.map((d) => ({ name: d.name, size: Number(d.size), updatedAt: now })),
    ...streams.rows.map((s) => ({ name: STREAM_FILES[s.stream] ?? s.stream, size: Number(s.hwm), updatedAt: now })),
    ...files.rows.map((f) => ({ name: f.path, size: Number(f.size), updatedAt: f.updated_at.toISOString() })),
  ];
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * One file of the run as a stream of the bytes [offset, offset + length): a media or saved file (its blob), or
 * one of the run's documents (run.json, summary.json, metrics.json as stored). Streams are read through their
 * own endpoints.
 */
export async function openRunFile(
  db: Database,
  blobs: BlobStore,
  runPk: number,
  name: string,
): Promise<{
  size: number;
  updatedAt: string;
  sha256: string;
  body: (range?: { start: number; end: number }) => Promise<Readable>;
}> {
  safePath(name);
  if (isDocument(name)) return openDocument(db, runPk, name);
  const { rows } = await db.query<{ sha256: string; size: string; updated_at: Date }>(
    'SELECT sha256, size, updated_at FROM run_files WHERE run_pk = $1 AND path = $2',
    [runPk, name],
  );
  if (!rows[0]) throw new ServerError(404, 'RUN_NOT_FOUND', `the run has no file ${JSON.stringify(name)}`);
  const { sha256 } = rows[0];
  return {
    size: Number(rows[0].size),
    updatedAt: rows[0].updated_at.toISOString(),
    sha256,
    body: (range) => blobs.read(sha256, range),
  };
}

/** A document of the run as a file: its JSON text as stored. */
async function openDocument(db: Database, runPk: number, name: string) {
  const { rows } = await db.query<{ text: string }>(
    'SELECT body::text AS text FROM run_documents WHERE run_pk = $1 AND name = $2',
    [runPk, name],
  );
  if (!rows[0]) throw new ServerError(404, 'RUN_NOT_FOUND', `the run has no file ${JSON.stringify(name)}`);
  const bytes = Buffer.from(rows[0].text);
  return {
    size: bytes.length,
    updatedAt: new Date().toISOString(),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    body: async (range?: { start: number; end: number }) =>
      Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]),
  };
}
