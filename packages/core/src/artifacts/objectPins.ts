import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from './isErrno.js';

/**
 * The objects one log in flight is about to reference, before its manifest exists: `objects/pins/<pid>-<random>`,
 * one digest per line. A digest is pinned before the object is looked up or put in place, and garbage collection
 * reads the pins of live processes again after it has moved its candidates aside (ObjectQuarantine), so an object
 * that a log reuses or stores is either seen pinned and put back, or was gone before the log looked and is stored
 * again. The file is removed once the version (or draft part) that references the objects is on disk.
 */
export class ObjectPins {
  private readonly file: string;
  private created = false;

  constructor(storeDir: string) {
    this.file = join(pinsDir(storeDir), `${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  /** Synchronous: the pin must be on disk before the caller looks at the object. */
  add(digests: readonly string[]): void {
    if (digests.length === 0) return;
    if (!this.created) {
      mkdirSync(join(this.file, '..'), { recursive: true });
      this.created = true;
    }
    appendFileSync(this.file, `${digests.join('\n')}\n`);
  }

  release(): void {
    if (this.created) rmSync(this.file, { force: true });
  }
}

function pinsDir(storeDir: string): string {
  return join(storeDir, 'objects', 'pins');
}

/** Digests pinned by live processes; the pin files of dead ones are ignored, and removed unless `keep`. */
export async function readPins(storeDir: string, keep = false): Promise<Set<string>> {
  const pinned = new Set<string>();
  let names: string[];
  try {
    names = await readdir(pinsDir(storeDir));
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return pinned;
    throw error;
  }
  for (const name of names) {
    const path = join(pinsDir(storeDir), name);
    if (!isAlive(Number(name.split('-')[0]))) {
      if (!keep) await rm(path, { force: true });
      continue;
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const digest of text.split('\n')) if (digest) pinned.add(digest);
  }
  return pinned;
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, 'EPERM');
  }
}
