import { IntegrityError } from './artifactErrors.js';
import type { ArtifactManifest } from './manifest.js';
import type { ObjectStore } from './objectStore.js';

/** Objects a version is about to reference were removed by garbage collection between storing and committing. */
export class ObjectsCollectedError extends IntegrityError {}

/**
 * Every object the manifest stores is present with its size (refreshing old objects' mtime, see
 * OBJECT_GRACE_MS). Called once the manifest is on disk, so `collectGarbage` either sees the reference or
 * took the object before this check, which then fails and the caller stores the files again.
 */
export function checkObjectsPresent(objects: ObjectStore, manifest: ArtifactManifest): void {
  const missing = [];
  for (const [path, entry] of Object.entries(manifest.entries)) {
    if (entry.ref !== null || !entry.digest) continue;
    if (!objects.hasObjectSync(entry.digest, entry.size ?? undefined))
      missing.push({ path, reason: 'missing' as const, detail: `object ${entry.digest} was garbage-collected` });
  }
  if (missing.length > 0)
    throw new ObjectsCollectedError(
      'objects of this version were removed while it was committed; log it again',
      missing,
    );
}
