import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { NEWLINE } from './lineBytes.js';

/**
 * Walks a file's complete lines from its end and returns the first one `accept` turns into a value: the last
 * good line, for the engine's resume and for readers' "last step". A torn last piece (no newline) is not a line;
 * a line `accept` refuses (damaged) is passed over. Synchronous: run snapshots and resume read a few KiB.
 */
export function findLastLineSync<T>(path: string, accept: (line: string) => T | undefined): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    let checkedFrom = size; // lines starting at or after this offset were already tried
    for (let window = 1 << 13; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buffer = Buffer.allocUnsafe(size - start);
      const bytesRead = readSync(fd, buffer, 0, buffer.length, start);
      let end = buffer.lastIndexOf(NEWLINE, bytesRead - 1);
      while (end !== -1) {
        const before = end === 0 ? -1 : buffer.lastIndexOf(NEWLINE, end - 1);
        // The first piece of a window that does not start the file may be cut: the next, larger window reads it.
        if (before === -1 && start > 0) break;
        if (start + before + 1 < checkedFrom) {
          const value = accept(buffer.toString('utf8', before + 1, end));
          if (value !== undefined) return value;
          checkedFrom = start + before + 1;
        }
        end = before;
      }
      if (start === 0) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}
