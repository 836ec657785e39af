import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The size of an existing file and whether its last line is torn (no newline at its end). */
export function tailOf(path: string): { size: number; torn: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { size: 0, torn: false }; // no file yet
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { size, torn: false };
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return { size, torn: last[0] !== 10 };
  } finally {
    closeSync(fd);
  }
}
