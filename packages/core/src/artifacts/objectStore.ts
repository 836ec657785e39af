import { randomBytes } from 'node:crypto';
import {
  type BigIntStats,
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
} from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactInvalidError, IntegrityError } from './artifactErrors.js';
import { HashWorkers, type TransferResult } from './hashWorkers.js';
import { isErrno } from './isErrno.js';
import type { ObjectPins } from './objectPins.js';
import { nowNs, type StatCache } from './statCache.js';

/** Objects younger than this are never collected; reusing an older object refreshes its mtime. */
export const OBJECT_GRACE_MS = 10 * 60 * 1000;

/** The result of putting one file into the object store. */
export interface IngestResult {
  digest: string;
  size: number;
  /** Bytes newly written to the store (0 when the object existed already). */
  storedBytes: number;
  /** True when the stat cache answered and the file was not read. */
  cached: boolean;
}

/**
 * The content-addressed blob store shared by every artifact: `objects/sha256/<2 hex>/<62 hex>`. Each object is
 * written once (copied to `objects/tmp/`, hashed there, renamed into place) and made read-only, so the bytes under
 * a name are always the bytes that were hashed.
 */
export class ObjectStore {
  readonly root: string;
  readonly tmpDir: string;

  private readonly knownDirs = new Set<string>();
  private copyChain: Promise<void> = Promise.resolve();

  constructor(readonly storeDir: string) {
    this.root = join(storeDir, 'objects', 'sha256');
    this.tmpDir = join(storeDir, 'objects', 'tmp');
  }

  objectPath(digest: string): string {
    return join(this.root, digest.slice(0, 2), digest.slice(2));
  }

  /**
   * Answers from the stat cache without reading the file when it is unchanged and its object is present.
   * Synchronous on purpose: a few microseconds per file keeps re-logging a large directory cheap.
   */
  tryCached(source: string, cache: StatCache): IngestResult | undefined {
    let current: BigIntStats;
    try {
      current = statSync(source, { bigint: true });
    } catch {
      return undefined;
    }
    const digest = cache.lookup(source, current);
    if (!digest) return undefined;
    const size = Number(current.size);
    const object = this.objectStatSync(digest);
    if (!object || Number(object.size) !== size) return undefined;
    // An object whose inode or mtime moved since the cache vouched for it may have been rewritten in place
    // (same size, other bytes): read the source again, which also puts a verified copy in its place.
    if (!cache.objectMatches(source, object)) return undefined;
    if (this.refreshSync(digest, object)) {
      const touched = this.objectStatSync(digest);
      if (touched) cache.recordObject(source, touched);
    }
    return { digest, size, storedBytes: 0, cached: true };
  }

  /**
   * Puts `source` into the store (unless its content is there already) and returns its digest. The file is
   * copied, or with `link` hard-linked when store and file share a filesystem (the caller promises the file
   * is never modified in place afterwards: wandb's "immutable" policy). Either way the bytes hashed are the
   * bytes stored, and a file that changes meanwhile is an IntegrityError. Copying and hashing run in worker
   * threads; the few metadata calls around them are synchronous (microseconds each, and no event-loop hops).
   */
  async ingestFile(
    source: string,
    cache?: StatCache,
    options: { link?: boolean; pins?: ObjectPins; noFollow?: boolean } = {},
  ): Promise<IngestResult> {
    // noFollow: the file is read through a descriptor opened without following a symlink, so a file swapped for
    // a link (to outside the folder that was added) after addDir/addFile is refused, not copied.
    const opened = options.noFollow ? openNoFollowSync(source) : undefined;
    try {
      return await this.ingestOpened(source, opened, cache, options);
    } finally {
      if (opened) closeSync(opened.fd);
    }
  }

  private async ingestOpened(
    source: string,
    opened: { fd: number; stat: BigIntStats } | undefined,
    cache: StatCache | undefined,
    options: { link?: boolean; pins?: ObjectPins },
  ): Promise<IngestResult> {
    const before = opened?.stat ?? statSourceSync(source);
    const checkedAt = nowNs();
    this.ensureDir(this.tmpDir);
    const temp = join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    let placed = false;
    try {
      const workers = HashWorkers.shared();
      let transfer: TransferResult;
      // /dev/fd/N opens the file the descriptor holds, whatever the path names by now.
      const readFrom = opened ? `/dev/fd/${opened.fd}` : source;
      if (options.link) transfer = await workers.run({ op: 'link', source, temp, copySource: readFrom });
      else {
        // One copy at a time: parallel writers only fight over the disk; hashing the copies runs in parallel.
        await this.serialCopy(() => copyFile(readFrom, temp, constants.COPYFILE_FICLONE));
        transfer = await workers.run({ op: 'hash', source: temp });
      }
      const { digest, bytes, linked } = transfer;
      // A hard link is made from the path: it must be the inode that was opened.
      if (linked && opened && statSync(temp, { bigint: true }).ino !== opened.stat.ino)
        throw changedWhileLogging(source);
      const after = statSourceSync(source);
      if (!sameContentStat(before, after) || bytes !== Number(before.size)) throw changedWhileLogging(source);
      // A file touched within the racy window may have changed again inside the same timestamp tick:
      // compare the source itself with what we copied.
      if (!linked && checkedAt - before.mtimeNs < 1_000_000_000n) {
        const again = await workers.run({ op: 'hash', source });
        if (again.digest !== digest) throw changedWhileLogging(source);
      }
      options.pins?.add([digest]); // before looking for the object: see ObjectPins
      const storedBytes = this.placeObjectSync(temp, digest, bytes, linked);
      placed = true;
      // Linking changes the source's ctime (its link count): cache the stat as it is now.
      const settled = linked ? statSourceSync(source) : before;
      if (sameContentStat(before, settled))
        cache?.record(source, settled, digest, checkedAt, this.objectStatSync(digest));
      return { digest, size: bytes, storedBytes, cached: false };
    } finally {
      if (!placed) rmSync(temp, { force: true });
    }
  }

  /** Moves an already hashed temp file to its object path, or drops it when the object exists. */
  private placeObjectSync(temp: string, digest: string, size: number, linked: boolean): number {
    if (this.hasObjectSync(digest, size)) {
      // Our copy was just hashed: putting it in place (a rename, no bytes written) repairs an object that was
      // damaged in place with its size unchanged. A linked temp is the user's own file: leave the object alone.
      if (linked) unlinkSync(temp);
      else {
        chmodSync(temp, 0o444);
        renameSync(temp, this.objectPath(digest));
      }
      return 0;
    }
    this.ensureDir(join(this.root, digest.slice(0, 2)));
    // A linked object shares its inode with the user's file: leave that file's permissions alone.
    if (!linked) chmodSync(temp, 0o444);
    // Two writers of the same content may race here; rename replaces atomically with identical bytes.
    renameSync(temp, this.objectPath(digest));
    return size;
  }

  /** Runs copies one after another (a promise chain), whatever the number of files in flight. */
  private serialCopy(copy: () => Promise<void>): Promise<void> {
    const next = this.copyChain.then(copy);
    this.copyChain = next.catch(() => {});
    return next;
  }

  /** mkdir -p, remembered per instance (folders of the store are never removed while it logs). */
  private ensureDir(dir: string): void {
    if (this.knownDirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.knownDirs.add(dir);
  }

  /** True when the object exists with the expected size; refreshes an old object's mtime (see OBJECT_GRACE_MS). */
  hasObjectSync(digest: string, size?: number): boolean {
    const s = this.objectStatSync(digest);
    if (!s || (size !== undefined && Number(s.size) !== size)) return false;
    this.refreshSync(digest, s);
    return true;
  }

  private objectStatSync(digest: string): BigIntStats | undefined {
    try {
      return statSync(this.objectPath(digest), { bigint: true });
    } catch {
      return undefined;
    }
  }

  /** Moves an old object's mtime to now, so a collector of an older runlog keeps it; true when it did. */
  private refreshSync(digest: string, s: BigIntStats): boolean {
    if (Date.now() - Number(s.mtimeMs) <= OBJECT_GRACE_MS / 2) return false;
    const now = new Date();
    try {
      utimesSync(this.objectPath(digest), now, now);
      return true;
    } catch {
      return false;
    }
  }

  /** Size of a stored object, or undefined when it is missing. */
  async objectSize(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.objectPath(digest))).size;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }
}

function openNoFollowSync(source: string): { fd: number; stat: BigIntStats } {
  let fd: number;
  try {
    fd = openSync(source, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isErrno(error, 'ELOOP') || isErrno(error, 'EMLINK'))
      throw new ArtifactInvalidError(`${source} became a symlink after it was added; it is not followed`);
    statSourceSync(source); // the same errors as without noFollow (ENOENT...)
    throw error;
  }
  try {
    const stat = fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw new ArtifactInvalidError(`${source} is not a regular file`);
    // A folder on the way swapped for a symlink: the path now leads elsewhere than where it was added.
    if (realpathSync(source) !== source)
      throw new ArtifactInvalidError(`${source} now lies behind a symlink that was not there when it was added`);
    return { fd, stat };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function statSourceSync(source: string): BigIntStats {
  let s: BigIntStats;
  try {
    s = statSync(source, { bigint: true });
  } catch (error) {
    if (isErrno(error, 'ENOENT'))
      throw new ArtifactInvalidError(`no file at ${source}: it was removed or renamed before it could be logged`);
    throw error;
  }
  if (!s.isFile()) throw new ArtifactInvalidError(`${source} is not a regular file`);
  return s;
}

/** Same size, mtime and inode: every write moves mtime (same-tick writes are handled by the racy check). */
function sameContentStat(a: BigIntStats, b: BigIntStats): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino;
}

function changedWhileLogging(source: string): IntegrityError {
  return new IntegrityError('a file changed while it was being logged; log it again once it is complete', [
    { path: source, reason: 'changed', detail: 'size, mtime or content changed during hashing' },
  ]);
}
