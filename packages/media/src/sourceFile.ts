import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { MediaInvalidError } from './errors/mediaInvalidError.js';

/** A file given as media input: checked to exist (and sniffed) at construction, read when encoded. */
export interface SourceFile {
  path: string;
  /** Lower-case extension without the dot. */
  ext: string;
  size: number;
  /** Its first bytes, for format detection. */
  head: Uint8Array;
}

/** Checks that `path` is a readable regular file and reads its first `headBytes` bytes, synchronously. */
export function openSourceFile(path: string, what: string, headBytes = 64 * 1024): SourceFile {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new MediaInvalidError(`${what}: ${path} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof MediaInvalidError) throw error;
    throw new MediaInvalidError(`${what}: cannot read ${path} (${(error as Error).message})`, { cause: error });
  }
  const head = new Uint8Array(Math.min(headBytes, size));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return { path, ext: extname(path).slice(1).toLowerCase(), size, head };
}
