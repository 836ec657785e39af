import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { StorageError } from '../errors/runlogError.js';
import { isErrno } from './isErrno.js';

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  at: number;
}

export interface LockOptions {
  /** Give up after this long (a StorageError). */
  timeoutMs?: number;
  /** A lock older than this is stale even when its owner cannot be checked (another host). */
  staleMs?: number;
}

const BREAKER_STALE_MS = 10_000;

/**
 * Runs `fn` while holding the lock file `lockPath` (created with O_EXCL). Works across processes and across
 * concurrent calls in one process. A lock whose owner process is dead (same host) or that is older than
 * `staleMs` is broken; breakers serialise on `<lockPath>.break` so two of them never remove a fresh lock.
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const staleMs = options.staleMs ?? 60_000;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(12).toString('hex'),
    at: Date.now(),
  };
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    if (await tryCreate(lockPath, JSON.stringify(owner))) return owner.token;
    const holder = await readOwner(lockPath);
    if (holder === 'gone') continue;
    if (await isStale(lockPath, holder, staleMs)) await breakStale(lockPath, holder);
    else await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
    if (Date.now() > deadline)
      throw new StorageError(
        `timed out after ${timeoutMs} ms waiting for ${lockPath} (held by ${describe(holder)}); remove it if no runlog process is running`,
      );
  }
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw new StorageError(`cannot create lock ${path}: ${(error as Error).message}`, error);
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

/** The owner written in the lock, `undefined` while its creator has not written it yet, 'gone' when released. */
async function readOwner(lockPath: string): Promise<LockOwner | undefined | 'gone'> {
  try {
    const text = await readFile(lockPath, 'utf8');
    return JSON.parse(text) as LockOwner;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return 'gone';
    return undefined;
  }
}

async function isStale(lockPath: string, owner: LockOwner | undefined, staleMs: number): Promise<boolean> {
  if (owner && owner.host === hostname()) return !isProcessAlive(owner.pid);
  const age = owner ? Date.now() - owner.at : await ageOf(lockPath);
  return age > staleMs;
}

async function ageOf(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function breakStale(lockPath: string, observed: LockOwner | undefined): Promise<void> {
  const breaker = `${lockPath}.break`;
  if (!(await tryCreate(breaker, String(process.pid)))) {
    if ((await ageOf(breaker)) > BREAKER_STALE_MS) await unlink(breaker).catch(() => {});
    await sleep(5);
    return;
  }
  try {
    // Re-read under the breaker: only the exact lock we judged stale may be removed.
    const now = await readOwner(lockPath);
    const same = now !== 'gone' && (now === undefined ? observed === undefined : now.token === observed?.token);
    if (same) await unlink(lockPath).catch(() => {});
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const holder = await readOwner(lockPath);
  // Somebody judged our lock stale and broke it: never remove theirs.
  if (holder !== 'gone' && holder?.token === token) await unlink(lockPath).catch(() => {});
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, 'EPERM');
  }
}

function describe(owner: LockOwner | undefined): string {
  return owner ? `pid ${owner.pid} on ${owner.host}` : 'an unknown process';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
