import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from './isErrno.js';
import { isAlive } from './objectPins.js';
import type { ObjectStore } from './objectStore.js';

const PREFIX = 'gc-';

/** An object garbage collection has taken out of the store but not deleted yet. */
export interface QuarantinedObject {
  digest: string;
  size: number;
}

/**
 * Where `collectGarbage` moves the objects it means to delete (objects/tmp/gc-<pid>-<random>/) before it looks
 * at the references a second time. Moving is atomic: a process that reuses the object afterwards finds it
 * missing and stores it again, and one that referenced it before the second look gets it back.
 */
export class ObjectQuarantine {
  readonly dir: string;

  private constructor(
    private readonly objects: ObjectStore,
    dir: string,
  ) {
    this.dir = dir;
  }

  static async open(objects: ObjectStore): Promise<ObjectQuarantine> {
    const dir = join(objects.tmpDir, `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    return new ObjectQuarantine(objects, dir);
  }

  /** Moves an object in; false when it is gone already. */
  async take(digest: string): Promise<boolean> {
    try {
      await rename(this.objects.objectPath(digest), join(this.dir, digest));
      return true;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    }
  }

  /** Puts an object back, unless someone stored the same bytes again meanwhile. */
  async restore(digest: string): Promise<void> {
    await restoreInto(this.objects, join(this.dir, digest), digest);
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Quarantine folders of collections whose process died between the two looks: everything in them goes back
   * (keeping an unreferenced object is harmless, losing a referenced one is not).
   */
  static async recoverAbandoned(objects: ObjectStore): Promise<void> {
    for (const name of await listDir(objects.tmpDir)) {
      if (!name.startsWith(PREFIX)) continue;
      const pid = Number(name.slice(PREFIX.length).split('-')[0]);
      if (isAlive(pid)) continue;
      const dir = join(objects.tmpDir, name);
      for (const digest of await listDir(dir)) await restoreInto(objects, join(dir, digest), digest);
      await rm(dir, { recursive: true, force: true });
    }
  }
}

async function restoreInto(objects: ObjectStore, from: string, digest: string): Promise<void> {
  const target = objects.objectPath(digest);
  const present = await stat(target).then(
    () => true,
    () => false,
  );
  if (present) await unlink(from).catch(() => {});
  else {
    await mkdir(join(objects.root, digest.slice(0, 2)), { recursive: true });
    await rename(from, target);
  }
}

async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return [];
    throw error;
  }
}
