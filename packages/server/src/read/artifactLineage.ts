import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import { artifactVersion } from './artifactReads.js';

/**
 * The seam's artifactConsumers: the runs whose `artifacts` stream says they used this version. Clients number
 * versions on their own machine, so a use is matched by the version's digest within the collection.
 */
export async function artifactConsumers(db: Database, project: string, name: string, selector: string) {
  const version = await artifactVersion(db, project, name, selector);
  const prefix = `${project}/${name}:`;
  const { rows } = await db.query<{ project: string; run_id: string; use_as: string | null; at: string | null }>(
    `SELECT r.project, r.run_id, l.line->>'useAs' AS use_as, l.line->>'_timestamp' AS at
     FROM stream_lines l JOIN runs r ON r.pk = l.run_pk
     WHERE l.stream = 'artifacts' AND l.line->>'direction' = 'used' AND l.line->>'digest' = $1
       AND left(l.line->>'artifact', $2) = $3
     ORDER BY (l.line->>'_timestamp')::float8, r.project, r.run_id`,
    [String((version as { digest?: unknown }).digest), prefix.length, prefix],
  );
  return rows.map((r) => ({ project: r.project, runId: r.run_id, useAs: r.use_as, _timestamp: Number(r.at) }));
}

/** One stored file of a version by its manifest entry name: its blob, read by range like a run file. */
export async function openArtifactFile(
  db: Database,
  blobs: BlobStore,
  project: string,
  name: string,
  selector: string,
  entryName: string,
): Promise<{ size: number; sha256: string; body: (range?: { start: number; end: number }) => Promise<Readable> }> {
  const version = await artifactVersion(db, project, name, selector);
  const entries = (
    version.manifest as { entries?: Record<string, { digest: string | null; size: number | null; ref: string | null }> }
  )?.entries;
  const entry = entries && Object.hasOwn(entries, entryName) ? entries[entryName] : undefined;
  if (!entry)
    throw new ServerError(
      404,
      'ARTIFACT_NOT_FOUND',
      `${project}/${name}:${selector} has no file ${JSON.stringify(entryName)}`,
    );
  if (entry.ref !== null || !entry.digest) {
    throw new ServerError(400, 'INVALID_ARGUMENT', `${entryName} is a reference (${entry.ref}), not a stored file`);
  }
  const sha256 = entry.digest;
  return { size: Number(entry.size ?? 0), sha256, body: (range) => blobs.read(sha256, range) };
}
