import { computeManifestDigest } from '@runlog/core';
import type { BlobService } from '../blobs/blobService.js';
import type { Database } from '../db/database.js';
import { safeDigest, safeName, safePath } from '../http/names.js';
import { ServerError } from '../http/serverError.js';

type Entry = { digest: string | null; size: number | null; ref: string | null };

function entriesOf(manifest: unknown): Record<string, Entry> {
  const entries = (manifest as { entries?: unknown } | null)?.entries;
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new ServerError(400, 'BODY_MALFORMED', '"manifest" must be {"entries":{path:{digest,size,ref}}}');
  }
  const out: Record<string, Entry> = {};
  for (const [path, raw] of Object.entries(entries as Record<string, unknown>)) {
    const e = (raw ?? {}) as Record<string, unknown>;
    const size = e.size === null || e.size === undefined ? null : Number(e.size);
    if (size !== null && (!Number.isSafeInteger(size) || size < 0))
      throw new ServerError(400, 'BODY_MALFORMED', `entry ${path}: bad size`);
    const ref = typeof e.ref === 'string' ? e.ref.slice(0, 4096) : null;
    const digest = e.digest === null || e.digest === undefined ? null : safeDigest(e.digest);
    if (ref === null && digest === null)
      throw new ServerError(400, 'BODY_MALFORMED', `entry ${path}: a stored file needs its digest`);
    out[safePath(path)] = { digest, size, ref };
  }
  return out;
}

function aliasesOf(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100)
    throw new ServerError(400, 'BODY_MALFORMED', '"aliases" must be a list of names');
  return value.map((alias) => {
    const name = safeName('alias', alias);
    if (name === 'latest' || /^v\d+$/.test(name) || /^[0-9a-f]{64}$/.test(name)) {
      throw new ServerError(400, 'INVALID_NAME', `alias ${name} is reserved or looks like a version`);
    }
    return name;
  });
}

/**
 * Records an artifact version sent by a client (docs/PROTOCOL.md, "Artifact versions"). The server numbers
 * versions itself and dedupes by manifest digest, so the same content logged from two machines is one version;
 * the collection's row lock serialises concurrent logs. Stored entries' blobs must be on the server first.
 */
export async function logArtifactVersion(
  db: Database,
  blobs: BlobService,
  project: string,
  name: string,
  body: Record<string, unknown>,
): Promise<{ version: number; digest: string; created: boolean }> {
  const type = safeName('artifact type', body.type);
  const entries = entriesOf(body.manifest);
  const aliases = aliasesOf(body.aliases);
  const digest = computeManifestDigest({ entries });
  const stored = [
    ...new Set(
      Object.values(entries)
        .filter((e) => e.ref === null)
        .map((e) => e.digest as string),
    ),
  ];
  const missing = await blobs.missing(stored);
  if (missing.length > 0)
    throw new ServerError(409, 'BLOB_MISSING', `${missing.length} blob(s) must be uploaded first`, { missing });
  return db.transaction(async (client) => {
    await client.query(
      'INSERT INTO artifact_collections (project, name, type, description) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [project, name, type, typeof body.description === 'string' ? body.description : ''],
    );
    const { rows } = await client.query<{ pk: string; type: string; last_version: number | null }>(
      'SELECT pk, type, last_version FROM artifact_collections WHERE project = $1 AND name = $2 FOR UPDATE',
      [project, name],
    );
    const collection = rows[0];
    if (collection.type !== type) {
      throw new ServerError(
        409,
        'ARTIFACT_TYPE_MISMATCH',
        `${project}/${name} holds ${collection.type} artifacts, not ${type}`,
      );
    }
    const existing = await client.query<{ version: number }>(
      'SELECT version FROM artifact_versions WHERE collection_pk = $1 AND digest = $2',
      [collection.pk, digest],
    );
    let version = existing.rows[0]?.version;
    const created = version === undefined;
    if (version === undefined) {
      version = (collection.last_version ?? -1) + 1;
      const values = Object.values(entries);
      const record = {
        formatVersion: 1,
        project,
        name,
        version,
        digest,
        type,
        description: typeof body.description === 'string' ? body.description : '',
        metadata: body.metadata && typeof body.metadata === 'object' ? body.metadata : {},
        tags: Array.isArray(body.tags) ? body.tags.filter((t) => typeof t === 'string') : [],
        createdAt: typeof body.createdAt === 'string' ? body.createdAt : new Date().toISOString(),
        size: values.reduce((sum, e) => sum + (e.size ?? 0), 0),
        fileCount: values.length,
        producer: body.producer ?? null,
      };
      await client.query(
        'INSERT INTO artifact_versions (collection_pk, version, digest, record, manifest) VALUES ($1, $2, $3, $4, $5)',
        [collection.pk, version, digest, JSON.stringify(record), JSON.stringify({ entries })],
      );
      await client.query('UPDATE artifact_collections SET last_version = $2 WHERE pk = $1', [collection.pk, version]);
    }
    for (const alias of [...aliases, ...(created ? ['latest'] : [])]) {
      await client.query(
        `INSERT INTO artifact_aliases (collection_pk, alias, version) VALUES ($1, $2, $3)
         ON CONFLICT (collection_pk, alias) DO UPDATE SET version = excluded.version`,
        [collection.pk, alias, version],
      );
    }
    return { version, digest, created };
  });
}
