import { finished } from 'node:stream/promises';
import { ArtifactInvalidError } from './artifactErrors.js';
import type { DraftEntry } from './draftEntry.js';
import { HashWorkers } from './hashWorkers.js';
import type { ArtifactManifest, ManifestEntry } from './manifest.js';
import { sortManifest } from './manifest.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import type { ObjectPins } from './objectPins.js';
import type { ObjectStore } from './objectStore.js';
import { StatCache } from './statCache.js';

/** How many cached files are checked synchronously before yielding to the event loop. */
const SYNC_BATCH = 256;

export interface IngestSummary {
  manifest: ArtifactManifest;
  /** Bytes newly written to the object store. */
  storedBytes: number;
  /** Files answered by the stat cache without being read. */
  cachedFiles: number;
  hashedFiles: number;
}

/** Puts every entry of a draft into the object store and returns the finished manifest. */
export async function ingestDraft(
  entries: ReadonlyMap<string, DraftEntry>,
  objects: ObjectStore,
  pins?: ObjectPins,
): Promise<IngestSummary> {
  const cache = await StatCache.load(objects.storeDir);
  const result: Record<string, ManifestEntry> = {};
  const toHash: [string, string, boolean][] = [];
  const hits: [string, string, boolean][] = [];
  const staged = new Set<string>();
  let cachedFiles = 0;
  let index = 0;
  for (const [name, entry] of entries) {
    if (++index % SYNC_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    if (entry.kind === 'reference') {
      result[name] = entry.entry;
      continue;
    }
    if (entry.kind === 'stream') {
      if (!entry.stream.writableEnded)
        throw new ArtifactInvalidError(`newFile('${name}') is still open: call end() on it before logging`);
      await finished(entry.stream);
      staged.add(entry.source);
      toHash.push([name, entry.source, true]);
      continue;
    }
    const hit = objects.tryCached(entry.source, cache);
    if (hit) {
      result[name] = { digest: hit.digest, size: hit.size, ref: null };
      hits.push([name, entry.source, entry.policy === 'immutable']);
    } else toHash.push([name, entry.source, entry.policy === 'immutable']);
  }
  // Pinned, then looked at again: an object garbage collection took before the pin is stored again.
  pins?.add(hits.map(([name]) => result[name].digest as string));
  for (const hit of hits) {
    const entry = result[hit[0]];
    if (!pins || objects.hasObjectSync(entry.digest as string, entry.size as number)) cachedFiles++;
    else toHash.push(hit);
  }
  let storedBytes = 0;
  // Files added with addFile/addDir were resolved to real paths then: read them without following links now
  // (newFile staging files are ours).
  // One more file in flight than there are hash workers, so a worker never waits for the main thread.
  await mapWithConcurrency(toHash, HashWorkers.shared().parallelism + 1, async ([name, source, link]) => {
    // newFile staging files are ours: linking them is always safe.
    const stored = await objects.ingestFile(source, cache, { link, pins, noFollow: !staged.has(source) });
    storedBytes += stored.storedBytes;
    result[name] = { digest: stored.digest, size: stored.size, ref: null };
  });
  await cache.save().catch(() => {
    // The cache only saves time; failing to write it must not fail the log.
  });
  return { manifest: sortManifest({ entries: result }), storedBytes, cachedFiles, hashedFiles: toHash.length };
}
