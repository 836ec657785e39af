import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteJson, readJson } from '../storage/index.js';
import type { JsonObject } from '../values/jsonTypes.js';
import { ArtifactInvalidError, ArtifactTypeMismatchError } from './artifactErrors.js';
import { checkToken } from './artifactNames.js';
import type { ArtifactStore, CommitRequest, CommitResult } from './artifactStore.js';
import { withLock } from './collectionLock.js';
import { isErrno } from './isErrno.js';
import { type ArtifactManifest, type ManifestEntry, sortManifest } from './manifest.js';
import type { RunPointer } from './versionRecord.js';

/** What one process contributed to a distributed version: `<collection>/drafts/<distributedId>/<part>.json`. */
export interface DraftPart {
  contributor: RunPointer;
  type: string;
  description: string;
  metadata: JsonObject;
  entries: Record<string, ManifestEntry>;
  at: string;
}

function draftDir(store: ArtifactStore, project: string, name: string, distributedId: string): string {
  return join(store.collectionDir(project, name), 'drafts', checkToken(distributedId, 'distributedId'));
}

async function assertType(store: ArtifactStore, project: string, name: string, type: string): Promise<void> {
  const collection = await store.readCollection(project, name);
  if (collection && collection.type !== type)
    throw new ArtifactTypeMismatchError(`artifact ${project}/${name} has type '${collection.type}', not '${type}'`);
}

/** Writes one process's part into the draft folder; the caller holds the collection lock. */
async function writePart(
  store: ArtifactStore,
  project: string,
  name: string,
  dir: string,
  partKey: string,
  part: DraftPart,
): Promise<void> {
  await assertType(store, project, name, part.type);
  await mkdir(dir, { recursive: true });
  await atomicWriteJson(join(dir, `${checkToken(partKey, 'part key')}.json`), part);
}

/**
 * Stores (or replaces) this process's part of the distributed version `distributedId`. The objects are stored
 * already; the part only lists them, and is written under the collection lock so finishing never misses it.
 */
export async function upsertDraftPart(
  store: ArtifactStore,
  project: string,
  name: string,
  distributedId: string,
  partKey: string,
  part: DraftPart,
): Promise<void> {
  const dir = draftDir(store, project, name, distributedId);
  await mkdir(store.collectionDir(project, name), { recursive: true });
  await withLock(join(store.collectionDir(project, name), '.lock'), () =>
    writePart(store, project, name, dir, partKey, part),
  );
}

/**
 * Merges every part of `distributedId` (plus this process's final part) into one version and removes the
 * draft, all under the lock: later upserts with the same id start the next version. Two parts that disagree
 * about one entry are an ArtifactInvalidError and the draft is kept.
 */
export async function finishDraft(
  store: ArtifactStore,
  project: string,
  name: string,
  distributedId: string,
  partKey: string,
  part: DraftPart,
  commit: Omit<CommitRequest, 'manifest' | 'contributors' | 'project' | 'name' | 'type' | 'description' | 'metadata'>,
): Promise<CommitResult> {
  const dir = draftDir(store, project, name, distributedId);
  await mkdir(store.collectionDir(project, name), { recursive: true });
  return withLock(join(store.collectionDir(project, name), '.lock'), async () => {
    await writePart(store, project, name, dir, partKey, part);
    const parts: DraftPart[] = [];
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
      const p = await readJson<DraftPart>(join(dir, file));
      if (p) parts.push(p);
    }
    const manifest = mergeParts(parts, `${project}/${name} (distributedId ${distributedId})`);
    const contributors = dedupeRuns(parts.map((p) => p.contributor));
    const result = await store.commitLocked({
      ...commit,
      project,
      name,
      type: part.type,
      description: part.description,
      metadata: Object.assign({}, ...parts.map((p) => p.metadata), part.metadata),
      manifest,
      contributors,
    });
    const done = `${dir}.done-${process.pid}-${Date.now()}`;
    await rename(dir, done).catch((error) => {
      if (!isErrno(error, 'ENOENT')) throw error;
    });
    await rm(done, { recursive: true, force: true });
    return result;
  });
}

function mergeParts(parts: DraftPart[], what: string): ArtifactManifest {
  const entries: Record<string, ManifestEntry> = {};
  const conflicts: string[] = [];
  for (const part of parts)
    for (const [path, entry] of Object.entries(part.entries)) {
      const seen = entries[path];
      if (seen && (seen.digest !== entry.digest || seen.ref !== entry.ref || seen.size !== entry.size))
        conflicts.push(path);
      entries[path] = entry;
    }
  if (conflicts.length)
    throw new ArtifactInvalidError(
      `${what}: processes added different content under the same name: ${conflicts.slice(0, 5).join(', ')}`,
    );
  return sortManifest({ entries });
}

function dedupeRuns(runs: RunPointer[]): RunPointer[] {
  const seen = new Map<string, RunPointer>();
  for (const run of runs) seen.set(`${run.project}/${run.runId}`, run);
  return [...seen.values()];
}
