import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ServerError } from '../http/serverError.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Data folders this process holds: a lock file naming this pid but not listed here was left by a former
 * process that had the same pid (a container restarted after a crash runs as the same pid again). */
const held = new Set<string>();

/**
 * Takes `<data>/server.lock` for this process (O_EXCL), breaking a lock whose process on this host is gone.
 * Returns the release function. A second server, or `token create` while a server runs, gets DATA_LOCKED.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'server.lock');
  if (held.has(path))
    throw new ServerError(409, 'DATA_LOCKED', `the data folder ${dataDir} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      closeSync(fd);
      held.add(path);
      return () => {
        held.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // a lock torn by a crash while being written: its process is gone
      }
      const stale =
        holder.host === hostname() &&
        typeof holder.pid === 'number' &&
        (holder.pid === process.pid || !isAlive(holder.pid));
      if (!stale && holder.pid !== undefined) {
        throw new ServerError(
          409,
          'DATA_LOCKED',
          `the data folder ${dataDir} is in use by process ${holder.pid} on ${holder.host}: stop that server first, or use its HTTP API`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new ServerError(409, 'DATA_LOCKED', `could not lock the data folder ${dataDir}`);
}
