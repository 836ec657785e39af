import type { BigIntStats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicWriteFile, readJson } from '../storage/index.js';

interface StatCacheEntry {
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
  digest: string;
  /** The object's inode and mtime when this entry vouched for it: if either moves, the object is hashed again. */
  objectIno?: string;
  objectMtimeNs?: string;
}

/** A file modified this close to the moment we looked at it could change again within the same timestamp tick. */
const RACY_WINDOW_NS = 100_000_000n;
const MAX_ENTRIES = 200_000;

/**
 * Remembers the sha256 of files by (path, size, mtime, ctime, inode, device) so that logging an unchanged
 * directory again does not read it. Stored at `<store>/.cache/stat-cache.json`; losing it only costs a rehash,
 * so concurrent writers simply merge and the last one wins.
 */
export class StatCache {
  private readonly changed = new Map<string, StatCacheEntry>();

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, StatCacheEntry>,
  ) {}

  static async load(storeDir: string): Promise<StatCache> {
    const file = join(storeDir, '.cache', 'stat-cache.json');
    const data = await readJson<Record<string, StatCacheEntry>>(file).catch(() => undefined);
    return new StatCache(file, new Map(Object.entries(data ?? {})));
  }

  /** The digest recorded for `path` if the file still has exactly the recorded stat. */
  lookup(path: string, stat: BigIntStats): string | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    const same =
      entry.size === Number(stat.size) &&
      entry.mtimeNs === String(stat.mtimeNs) &&
      entry.ctimeNs === String(stat.ctimeNs) &&
      entry.ino === String(stat.ino) &&
      entry.dev === String(stat.dev);
    return same ? entry.digest : undefined;
  }

  /**
   * Records the digest of `path` as hashed from a file whose stat was `stat` when we started at `checkedAtNs`
   * (wall clock). A file modified within the racy window before that moment is not cached (git's "racy" rule).
   */
  record(path: string, stat: BigIntStats, digest: string, checkedAtNs: bigint, object?: BigIntStats): void {
    if (checkedAtNs - stat.mtimeNs < RACY_WINDOW_NS) return;
    const entry: StatCacheEntry = {
      size: Number(stat.size),
      mtimeNs: String(stat.mtimeNs),
      ctimeNs: String(stat.ctimeNs),
      ino: String(stat.ino),
      dev: String(stat.dev),
      digest,
      ...(object ? { objectIno: String(object.ino), objectMtimeNs: String(object.mtimeNs) } : {}),
    };
    this.entries.set(path, entry);
    this.changed.set(path, entry);
  }

  /** True when the object `path`'s digest names is the very file (inode, mtime) the entry last vouched for. */
  objectMatches(path: string, object: BigIntStats): boolean {
    const entry = this.entries.get(path);
    return entry?.objectIno === String(object.ino) && entry.objectMtimeNs === String(object.mtimeNs);
  }

  /** The object was touched by us (its grace period refreshed): vouch for its new mtime. */
  recordObject(path: string, object: BigIntStats): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    const updated = { ...entry, objectIno: String(object.ino), objectMtimeNs: String(object.mtimeNs) };
    this.entries.set(path, updated);
    this.changed.set(path, updated);
  }

  /** Merges what this instance learned into the file on disk. */
  async save(): Promise<void> {
    if (this.changed.size === 0) return;
    const onDisk = (await readJson<Record<string, StatCacheEntry>>(this.file).catch(() => undefined)) ?? {};
    const merged = new Map(Object.entries(onDisk));
    for (const [path, entry] of this.changed) {
      merged.delete(path);
      merged.set(path, entry);
    }
    // Oldest insertions go first when the cache grows past its bound.
    const excess = merged.size - MAX_ENTRIES;
    if (excess > 0) for (const key of [...merged.keys()].slice(0, excess)) merged.delete(key);
    await mkdir(dirname(this.file), { recursive: true });
    await atomicWriteFile(this.file, JSON.stringify(Object.fromEntries(merged)));
    this.changed.clear();
  }
}

/** The current wall clock in nanoseconds, comparable with file timestamps. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
