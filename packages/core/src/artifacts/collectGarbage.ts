import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson } from '../storage/index.js';
import { ArtifactStore } from './artifactStore.js';
import type { DraftPart } from './distributedDrafts.js';
import { isErrno } from './isErrno.js';
import type { ArtifactManifest } from './manifest.js';
import { readPins } from './objectPins.js';
import { ObjectQuarantine } from './objectQuarantine.js';
import { OBJECT_GRACE_MS } from './objectStore.js';

export interface GarbageOptions {
  /** Report what would be removed without removing anything. */
  dryRun?: boolean;
  /**
   * Unreferenced objects younger than this are kept. Default 10 minutes. Shorter is safe for the commits of this
   * version of runlog (see collectGarbage), but a process running an older one relies on it.
   */
  minAgeMs?: number;
  onProgress?: (progress: { phase: 'scan-versions' | 'scan-objects'; done: number }) => void;
}

export interface GarbageResult {
  /** Objects removed (or that would be, with dryRun). */
  objectsRemoved: number;
  bytesFreed: number;
  /** Objects found in the store before collecting. */
  objects: number;
  /** Digests of the objects removed (or that would be). */
  removed: string[];
  dryRun: boolean;
}

/**
 * Removes objects that no version manifest (and no unfinished distributed draft) references, plus stale temp
 * files. Safe while other processes log, whatever `minAgeMs`: the objects to delete are first moved aside
 * (ObjectQuarantine), then the references are read a second time and every object a version committed meanwhile
 * (or a commit in flight, whose temp folder counts) references goes back. A commit checks its objects are present
 * after its manifest is on disk and stores again any that are not. Temp files and temp version folders are left
 * for at least OBJECT_GRACE_MS: they belong to commits in flight.
 */
export async function collectGarbage(storeDir: string, options: GarbageOptions = {}): Promise<GarbageResult> {
  const store = new ArtifactStore(storeDir);
  const minAgeMs = options.minAgeMs ?? OBJECT_GRACE_MS;
  const leftoverAgeMs = Math.max(minAgeMs, OBJECT_GRACE_MS);
  const dryRun = options.dryRun ?? false;
  if (!dryRun) await ObjectQuarantine.recoverAbandoned(store.objects);
  const live = await liveDigests(store, options.onProgress, { minAgeMs: leftoverAgeMs, dryRun });
  const now = Date.now();
  const result: GarbageResult = { objectsRemoved: 0, bytesFreed: 0, objects: 0, removed: [], dryRun };
  const candidates: Array<{ digest: string; size: number }> = [];
  const root = store.objects.root;
  for (const prefix of await listDir(root)) {
    for (const rest of await listDir(join(root, prefix))) {
      const digest = prefix + rest;
      result.objects++;
      if (result.objects % 1000 === 0) options.onProgress?.({ phase: 'scan-objects', done: result.objects });
      if (live.has(digest)) continue;
      const info = await stat(join(root, prefix, rest)).catch(() => undefined);
      if (!info || now - info.mtimeMs < minAgeMs) continue;
      candidates.push({ digest, size: info.size });
    }
  }
  if (dryRun) {
    for (const { digest, size } of candidates) count(result, digest, size);
    return result;
  }
  const quarantine = await ObjectQuarantine.open(store.objects);
  try {
    const taken = [];
    for (const candidate of candidates) if (await quarantine.take(candidate.digest)) taken.push(candidate);
    // The second look: versions committed meanwhile, commits in flight (temp folders) and logs pinning objects.
    const stillLive =
      taken.length > 0 ? await liveDigests(store, undefined, { minAgeMs: leftoverAgeMs, dryRun: true }) : live;
    for (const { digest, size } of taken) {
      if (stillLive.has(digest)) await quarantine.restore(digest);
      else count(result, digest, size);
    }
  } catch (error) {
    // Whatever went wrong, nothing taken out is deleted: it all goes back.
    await ObjectQuarantine.recoverAbandoned(store.objects).catch(() => {});
    for (const digest of await listDir(quarantine.dir)) await quarantine.restore(digest).catch(() => {});
    throw error;
  } finally {
    await quarantine.close();
  }
  for (const temp of await listDir(store.objects.tmpDir)) {
    if (temp.startsWith('gc-')) continue; // another collection's quarantine
    const path = join(store.objects.tmpDir, temp);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs >= leftoverAgeMs) await rm(path, { force: true });
  }
  return result;
}

function count(result: GarbageResult, digest: string, size: number): void {
  result.objectsRemoved++;
  result.bytesFreed += size;
  result.removed.push(digest);
}

async function liveDigests(
  store: ArtifactStore,
  onProgress: GarbageOptions['onProgress'],
  sweep: { minAgeMs: number; dryRun: boolean },
): Promise<Set<string>> {
  const live = await readPins(store.storeDir, sweep.dryRun);
  let done = 0;
  const addManifest = (manifest: ArtifactManifest | DraftPart | undefined) => {
    if (!manifest) return;
    for (const entry of Object.values(manifest.entries)) if (entry.ref === null && entry.digest) live.add(entry.digest);
  };
  for (const project of await store.projects()) {
    for (const name of await listDir(join(store.storeDir, project, 'artifacts'))) {
      const collection = store.collectionDir(project, name);
      // Every folder under versions/ counts, including temp folders of commits in progress; a temp folder
      // older than the grace period was left by a crashed process and goes away. A temp folder renamed into
      // place while we list is read again under its new name.
      for (let pass = 0, moved = true; moved && pass < 10; pass++) {
        moved = false;
        for (const version of await listDir(join(collection, 'versions'))) {
          const folder = join(collection, 'versions', version);
          if (version.startsWith('.tmp-') && (await isOlderThan(folder, sweep.minAgeMs))) {
            if (!sweep.dryRun) await rm(folder, { recursive: true, force: true });
            continue;
          }
          // A damaged manifest throws: collecting without knowing what it references could lose data.
          const manifest = await readJson<ArtifactManifest>(join(folder, 'manifest.json'));
          if (manifest === undefined && version.startsWith('.tmp-') && !(await exists(folder))) moved = true;
          addManifest(manifest);
          if (++done % 100 === 0) onProgress?.({ phase: 'scan-versions', done });
        }
      }
      for (const draft of await listDir(join(collection, 'drafts')))
        for (const part of await listDir(join(collection, 'drafts', draft)))
          if (part.endsWith('.json')) addManifest(await readJson<DraftPart>(join(collection, 'drafts', draft, part)));
    }
  }
  return live;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function isOlderThan(path: string, ageMs: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs >= ageMs;
}

async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return [];
    throw error;
  }
}
