import { mkdirSync, rmdirSync } from 'node:fs';
import { StorageError } from '../errors/runlogError.js';
import { RunLock } from './runLock.js';

/** A run folder this process now owns; `giveUp` when init fails after taking it. */
export interface OwnedRunFolder {
  lock: RunLock;
  /** Releases the lock, and removes the folder again if init made it and nothing else was written into it. */
  giveUp(): void;
}

/**
 * Makes the run folder (if needed) and takes its ownership lock, before anything else is read or written there:
 * two processes opening the same id at once get one owner and one RUN_BUSY.
 */
export function takeRunFolder(dir: string, runPath: string): OwnedRunFolder {
  let created: string | undefined;
  try {
    created = mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StorageError(
      `cannot create the run folder ${dir}: ${(error as Error).message}. Pass dir or set RUNLOG_DIR to a writable folder.`,
      error,
    );
  }
  const removeIfMade = () => {
    if (created === undefined) return;
    try {
      rmdirSync(dir); // only if still empty
    } catch {
      // something was written (or another process uses it now): keep it
    }
  };
  let lock: RunLock;
  try {
    lock = RunLock.acquire(dir, runPath);
  } catch (error) {
    removeIfMade();
    throw error;
  }
  return {
    lock,
    giveUp() {
      lock.release();
      removeIfMade();
    },
  };
}
