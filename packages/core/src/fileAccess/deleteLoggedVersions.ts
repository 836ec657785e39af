import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactUse } from '../api/artifactUse.js';
import { ArtifactStore } from '../artifacts/artifactStore.js';
import { withLock } from '../artifacts/collectionLock.js';
import { atomicWriteJson } from '../storage/atomicWrite.js';

const LOGGED_VERSION = /^([^/]+)\/([^/:]+):v(\d+)$/;

/**
 * Deletes the artifact versions a run logged (`run.delete({ deleteArtifacts: true })`): only versions whose
 * producer is that run, each under its collection's lock. The version folder is first renamed out of the
 * `v<N>` pattern so no reader ever sees half of it; aliases pointing at it go, `latest` moves to the newest
 * remaining version. Blobs stay until `collectGarbage` finds them unreferenced. Returns the versions deleted.
 */
export async function deleteLoggedVersions(
  storeDir: string,
  run: { project: string; id: string },
  uses: readonly ArtifactUse[],
): Promise<string[]> {
  const store = new ArtifactStore(storeDir);
  const deleted: string[] = [];
  for (const use of uses) {
    const match = LOGGED_VERSION.exec(use.artifact);
    if (!match) continue; // a distributed part never finished: nothing was committed
    const [, project, name, number] = match;
    const version = Number(number);
    const collection = store.collectionDir(project, name);
    await withLock(join(collection, '.lock'), async () => {
      const record = await store.readVersionRecord(project, name, version);
      if (record?.producer?.project !== run.project || record.producer.runId !== run.id) return;
      const versionDir = store.versionDir(project, name, version);
      const doomed = join(collection, 'versions', `.deleting-v${version}-${randomBytes(4).toString('hex')}`);
      await rename(versionDir, doomed);
      const remaining = await store.versionNumbers(project, name);
      const aliases = await store.readAliases(project, name);
      const next: Record<string, number> = {};
      for (const [alias, target] of Object.entries(aliases)) if (target !== version) next[alias] = target;
      if (remaining.length > 0) next.latest = Math.max(...remaining);
      else delete next.latest;
      await atomicWriteJson(join(collection, 'aliases.json'), next);
      await rm(doomed, { recursive: true, force: true });
      deleted.push(use.artifact);
    });
  }
  return deleted;
}
