import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile } from '../artifacts/hashFile.js';
import { readRange } from '../sync/node/fileRanges.js';
import { runBlobPaths } from '../sync/node/runFolderSource.js';
import type { RunFileSource } from '../sync/runSync.js';

interface Seen {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/**
 * The run's blob files (media, saved files) that changed since they were last recorded on the server: a file is
 * hashed again only when its size or mtime changed, so a scan of an unchanged run costs a readdir and a stat each.
 */
export class RunFileScan {
  private readonly recorded = new Map<string, Seen>();

  constructor(private readonly dir: string) {}

  /** The server already has these (path -> sha256, from GET .../sync). */
  know(files: Record<string, string>): void {
    for (const [path, sha256] of Object.entries(files)) this.recorded.set(path, { size: -1, mtimeMs: -1, sha256 });
  }

  /** Files new or changed since `recorded`; `mark` them once the server recorded them. */
  async changed(): Promise<(RunFileSource & { mtimeMs: number })[]> {
    const out: (RunFileSource & { mtimeMs: number })[] = [];
    for (const path of await runBlobPaths(this.dir)) {
      const full = join(this.dir, path);
      const info = await stat(full).catch(() => undefined);
      if (!info) continue;
      const seen = this.recorded.get(path);
      if (seen && seen.size === info.size && seen.mtimeMs === info.mtimeMs) continue;
      const { digest } = await hashFile(full);
      if (seen?.sha256 === digest) {
        this.recorded.set(path, { size: info.size, mtimeMs: info.mtimeMs, sha256: digest });
        continue;
      }
      out.push({
        path,
        sha256: digest,
        size: info.size,
        mtimeMs: info.mtimeMs,
        read: (start, end) => readRange(full, start, end - start),
      });
    }
    return out;
  }

  mark(files: (RunFileSource & { mtimeMs: number })[]): void {
    for (const f of files) this.recorded.set(f.path, { size: f.size, mtimeMs: f.mtimeMs, sha256: f.sha256 });
  }
}
