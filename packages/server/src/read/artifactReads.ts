import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';

interface CollectionRow {
  pk: string;
  project: string;
  name: string;
  type: string;
  description: string;
  created_at: Date;
  last_version: number | null;
  versions: string;
  aliases: Record<string, number> | null;
}

/** The seam's artifactCollections: collections with their version count and aliases. */
export async function artifactCollections(
  db: Database,
  project: string | undefined,
  visible: (project: string) => boolean,
) {
  const { rows } = await db.query<CollectionRow>(
    `SELECT c.*, (SELECT count(*) FROM artifact_versions v WHERE v.collection_pk = c.pk) AS versions,
            (SELECT jsonb_object_agg(a.alias, a.version) FROM artifact_aliases a WHERE a.collection_pk = c.pk) AS aliases
     FROM artifact_collections c WHERE ($1::text IS NULL OR c.project = $1) ORDER BY c.project, c.name`,
    [project ?? null],
  );
  return rows
    .filter((c) => visible(c.project))
    .map((c) => ({
      name: c.name,
      project: c.project,
      type: c.type,
      description: c.description,
      createdAt: c.created_at.toISOString(),
      lastVersion: c.last_version,
      versionCount: Number(c.versions),
      aliases: c.aliases ?? {},
    }));
}

/** Every version of a collection, oldest first, each with its aliases (the seam's artifactVersions). */
export async function artifactVersions(db: Database, project: string, name: string) {
  const { rows } = await db.query<{ record: Record<string, unknown>; aliases: string[] | null }>(
    `SELECT v.record, (SELECT array_agg(a.alias ORDER BY a.alias <> 'latest', a.alias) FROM artifact_aliases a
                        WHERE a.collection_pk = v.collection_pk AND a.version = v.version) AS aliases
     FROM artifact_versions v JOIN artifact_collections c ON c.pk = v.collection_pk
     WHERE c.project = $1 AND c.name = $2 ORDER BY v.version`,
    [project, name],
  );
  if (rows.length === 0) throw new ServerError(404, 'ARTIFACT_NOT_FOUND', `artifact ${project}/${name} not found`);
  return rows.map((r) => ({ ...r.record, aliases: r.aliases ?? [] }));
}

/** One version by `vN`, alias or digest, with its manifest (the seam's artifactVersion). */
export async function artifactVersion(db: Database, project: string, name: string, selector: string) {
  const byVersion = /^v(\d+)$/.exec(selector);
  const { rows } = await db.query<{ record: Record<string, unknown>; manifest: unknown; version: number }>(
    `SELECT v.record, v.manifest, v.version FROM artifact_versions v JOIN artifact_collections c ON c.pk = v.collection_pk
     WHERE c.project = $1 AND c.name = $2 AND (
       ($3::int IS NOT NULL AND v.version = $3) OR v.digest = $4 OR
       v.version = (SELECT a.version FROM artifact_aliases a WHERE a.collection_pk = c.pk AND a.alias = $4))`,
    [project, name, byVersion ? Number(byVersion[1]) : null, selector],
  );
  if (!rows[0]) throw new ServerError(404, 'ARTIFACT_NOT_FOUND', `artifact ${project}/${name}:${selector} not found`);
  const { rows: aliasRows } = await db.query<{ alias: string }>(
    `SELECT a.alias FROM artifact_aliases a JOIN artifact_collections c ON c.pk = a.collection_pk
     WHERE c.project = $1 AND c.name = $2 AND a.version = $3 ORDER BY a.alias <> 'latest', a.alias`,
    [project, name, rows[0].version],
  );
  const aliases = aliasRows.map((r) => r.alias);
  return { ...rows[0].record, aliases, manifest: rows[0].manifest };
}
