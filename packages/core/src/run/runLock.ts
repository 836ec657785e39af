import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunlogError } from '../errors/runlogError.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { isProcessAlive } from './liveness.js';

/** What an ownership lock file holds: who owns the run folder. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  at: string;
  /** Why: 'run' (a process writing the run) or 'delete' (gc removing it). */
  purpose: string;
}

let uniqueCounter = 0;
function uniqueName(base: string): string {
  uniqueCounter += 1;
  return `${base}.${process.pid}.${Date.now().toString(36)}.${uniqueCounter}`;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof owner?.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A lock whose owner ran on this host under a pid that is gone: its process died without releasing it. */
function isStale(owner: LockOwner | undefined): boolean {
  if (owner === undefined) return true; // never half-written (made by link), so unreadable means damaged
  return owner.host === hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid);
}

function busyError(runPath: string, owner: LockOwner, lockPath: string): RunlogError {
  const who =
    owner.pid === process.pid && owner.host === hostname()
      ? 'this process'
      : `pid ${owner.pid} on ${owner.host}, since ${owner.at}`;
  const doing = owner.purpose === 'delete' ? 'being deleted by' : 'open in';
  return new RunlogError(
    'RUN_BUSY',
    `run ${runPath} is ${doing} ${who}: only one process may own a run (the lock ${lockPath}; if that process is gone on another host, delete the file)`,
  );
}

/**
 * The ownership lock of a run folder (docs/FORMAT.md `lock`): exactly one process writes a run. It is a file made
 * complete under a unique name and then hard-linked into place, so taking it is atomic (link fails with EEXIST
 * like O_EXCL) and a reader never sees it half-written. A lock left by a dead process on this host is recovered:
 * it is renamed away (only one contender wins the rename), checked to be the stale lock that was read, and
 * removed; a live owner's lock renamed by mistake is linked back. Throws RUN_BUSY naming the owner.
 */
export class RunLock {
  private released = false;

  private constructor(readonly path: string) {}

  static acquire(runDir: string, runPath: string, purpose: 'run' | 'delete' = 'run'): RunLock {
    const path = join(runDir, RUN_FILES.lock);
    const mine: LockOwner = { pid: process.pid, host: hostname(), at: new Date().toISOString(), purpose };
    const draft = uniqueName(path);
    writeFileSync(draft, JSON.stringify(mine), { flag: 'wx' });
    try {
      // A few rounds: each lost round means another contender recovered or took the lock meanwhile.
      for (let round = 0; round < 8; round++) {
        try {
          linkSync(draft, path);
          return new RunLock(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const owner = readOwner(path);
        if (!isStale(owner)) {
          if (owner !== undefined) throw busyError(runPath, owner, path);
          continue; // vanished between link and read: try again
        }
        recoverStale(path, owner, runPath);
      }
      throw new RunlogError('RUN_BUSY', `run ${runPath}: could not take its lock ${path} (too many contenders)`);
    } finally {
      unlinkSync(draft);
    }
  }

  /** Removes the lock file (the run is no longer written by this process). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      unlinkSync(this.path);
    } catch {
      // the folder was deleted with it (gc), or it is already gone: nothing to release
    }
  }
}

/** Moves a stale lock out of the way; if what moved was a live owner's fresh lock, puts it back and throws. */
function recoverStale(path: string, seen: LockOwner | undefined, runPath: string): void {
  const aside = uniqueName(`${path}.stale`);
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another contender moved it first
    throw error;
  }
  const moved = readOwner(aside);
  const same =
    moved === undefined ? seen === undefined : seen !== undefined && moved.at === seen.at && moved.pid === seen.pid;
  if (same || isStale(moved)) {
    unlinkSync(aside);
    return;
  }
  // Between our read and our rename a contender recovered the lock and took it: give it back.
  try {
    linkSync(aside, path);
  } catch {
    // a third contender took the free name meanwhile; the owner we moved keeps its open files either way
  }
  unlinkSync(aside);
  throw busyError(runPath, moved as LockOwner, path);
}

/** The owner named by a run folder's lock, if any. */
export function lockOwner(runDir: string): LockOwner | undefined {
  return readOwner(join(runDir, RUN_FILES.lock));
}
