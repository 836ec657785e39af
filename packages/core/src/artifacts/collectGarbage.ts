import { readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson } from '../storage/index.js';
import { ArtifactStore } from './artifactStore.js';
import type { DraftPart } from './distributedDrafts.js';
import { isErrno } from './isErrno.js';
import type { ArtifactManifest } from './manifest.js';
import { OBJECT_GRACE_MS } from './objectStore.js';

export interface GarbageOptions {
  /** Report what would be removed without removing anything. */
  dryRun?: boolean;
  /**
   * Objects (and temp files) younger than this are kept even when unreferenced: a process may be logging
   * them right now. Default 10 minutes; 0 collects everything unreferenced (only when nothing is logging).
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
 * files. Safe while other processes log: anything younger than `minAgeMs` is kept, and logging refreshes the
 * mtime of the objects it reuses.
 */
export async function collectGarbage(storeDir: string, options: GarbageOptions = {}): Promise<GarbageResult> {
  const store = new ArtifactStore(storeDir);
  const minAgeMs = options.minAgeMs ?? OBJECT_GRACE_MS;
  const dryRun = options.dryRun ?? false;
  const live = await liveDigests(store, options.onProgress, { minAgeMs, dryRun });
  const now = Date.now();
  const result: GarbageResult = { objectsRemoved: 0, bytesFreed: 0, objects: 0, removed: [], dryRun };
  const root = store.objects.root;
  for (const prefix of await listDir(root)) {
    for (const rest of await listDir(join(root, prefix))) {
      const digest = prefix + rest;
      result.objects++;
      if (result.objects % 1000 === 0) options.onProgress?.({ phase: 'scan-objects', done: result.objects });
      if (live.has(digest)) continue;
      const path = join(root, prefix, rest);
      const info = await stat(path).catch(() => undefined);
      if (!info || now - info.mtimeMs < minAgeMs) continue;
      if (!dryRun) await unlink(path).catch(() => {});
      result.objectsRemoved++;
      result.bytesFreed += info.size;
      result.removed.push(digest);
    }
  }
  for (const temp of await listDir(store.objects.tmpDir)) {
    const path = join(store.objects.tmpDir, temp);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs >= minAgeMs && !dryRun) await rm(path, { force: true });
  }
  return result;
}

async function liveDigests(
  store: ArtifactStore,
  onProgress: GarbageOptions['onProgress'],
  sweep: { minAgeMs: number; dryRun: boolean },
): Promise<Set<string>> {
  const live = new Set<string>();
  let done = 0;
  const addManifest = (manifest: ArtifactManifest | DraftPart | undefined) => {
    if (!manifest) return;
    for (const entry of Object.values(manifest.entries)) if (entry.ref === null && entry.digest) live.add(entry.digest);
  };
  for (const project of await store.projects()) {
    for (const name of await listDir(join(store.storeDir, project, 'artifacts'))) {
      const collection = store.collectionDir(project, name);
      // Every folder under versions/ counts, including temp folders of commits in progress; a temp folder
      // older than the grace period was left by a crashed process and goes away.
      for (const version of await listDir(join(collection, 'versions'))) {
        const folder = join(collection, 'versions', version);
        if (version.startsWith('.tmp-') && (await isOlderThan(folder, sweep.minAgeMs))) {
          if (!sweep.dryRun) await rm(folder, { recursive: true, force: true });
          continue;
        }
        // A damaged manifest throws: collecting without knowing what it references could lose data.
        addManifest(await readJson<ArtifactManifest>(join(folder, 'manifest.json')));
        if (++done % 100 === 0) onProgress?.({ phase: 'scan-versions', done });
      }
      for (const draft of await listDir(join(collection, 'drafts')))
        for (const part of await listDir(join(collection, 'drafts', draft)))
          if (part.endsWith('.json')) addManifest(await readJson<DraftPart>(join(collection, 'drafts', draft, part)));
    }
  }
  return live;
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
