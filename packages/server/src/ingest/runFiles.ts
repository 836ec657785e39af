import type { BlobService } from '../blobs/blobService.js';
import type { Database } from '../db/database.js';
import { safeDigest, safePath } from '../http/names.js';
import { ServerError } from '../http/serverError.js';
import { ensureRun } from './runRows.js';

const MAX_FILES = 10_000;

/**
 * Records files of a run folder (media, saved files) by digest. Every blob must already be on the server
 * (BLOB_MISSING lists the ones to upload); the whole list is recorded in one transaction or not at all.
 */
export async function recordRunFiles(
  db: Database,
  blobs: BlobService,
  project: string,
  runId: string,
  files: unknown,
): Promise<{ files: number }> {
  if (!Array.isArray(files) || files.length > MAX_FILES) {
    throw new ServerError(400, 'BODY_MALFORMED', `"files" must be a list of at most ${MAX_FILES} {path, sha256, size}`);
  }
  const entries = files.map((file) => {
    const f = (file ?? {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(f.size) || (f.size as number) < 0) {
      throw new ServerError(400, 'BODY_MALFORMED', 'each file needs a whole-number "size"');
    }
    return { path: safePath(f.path), sha256: safeDigest(f.sha256), size: f.size as number };
  });
  const missing = await blobs.missing(entries.map((e) => e.sha256));
  if (missing.length > 0) {
    throw new ServerError(409, 'BLOB_MISSING', `${missing.length} blob(s) must be uploaded first`, { missing });
  }
  await db.transaction(async (client) => {
    const runPk = await ensureRun(client, project, runId);
    await client.query(
      `INSERT INTO run_files (run_pk, path, sha256, size)
       SELECT $1, f.path, f.sha256, f.size FROM jsonb_to_recordset($2::jsonb) AS f(path text, sha256 text, size bigint)
       ON CONFLICT (run_pk, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, updated_at = now()`,
      [runPk, JSON.stringify(entries)],
    );
  });
  return { files: entries.length };
}
