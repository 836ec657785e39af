import type { FileHandle } from 'node:fs/promises';

export const NEWLINE = 0x0a;

/** Reads `length` bytes at `position` into `buffer` at `at`, looping over short reads; returns the bytes read. */
export async function readFully(
  handle: FileHandle,
  buffer: Buffer,
  at: number,
  length: number,
  position: number,
): Promise<number> {
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, at + read, length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return read;
}

/**
 * The offset just after the `count`-th newline found walking back from `position`, or 0 when there are fewer:
 * `count = 1` is the start of the line holding byte `position - 1` (or `position` when a line ends there).
 */
export async function afterNewlinesBack(handle: FileHandle, position: number, count: number): Promise<number> {
  if (count <= 0) return position;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  let end = position;
  let seen = 0;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const got = await readFully(handle, chunk, 0, end - start, start);
    for (let i = got - 1; i >= 0; i--) if (chunk[i] === NEWLINE && ++seen === count) return start + i + 1;
    end = start;
  }
  return 0;
}

/** The first line start at or after `position`; undefined when no newline follows (`position` is in the last line). */
export async function lineStartAtOrAfter(
  handle: FileHandle,
  position: number,
  size: number,
): Promise<number | undefined> {
  if (position <= 0) return 0;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (let start = position - 1; start < size; start += chunk.length) {
    const got = await readFully(handle, chunk, 0, Math.min(chunk.length, size - start), start);
    const newline = chunk.subarray(0, got).indexOf(NEWLINE);
    if (newline !== -1) return start + newline + 1;
  }
  return undefined;
}

/** How many of the first `length` bytes form whole UTF-8 characters (a cut never splits one). */
export function utf8Prefix(buffer: Buffer, length: number): number {
  let lead = length - 1;
  // Step back over at most 3 continuation bytes (10xxxxxx) to the character's first byte.
  while (lead >= 0 && length - lead <= 3 && (buffer[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0) return length;
  const first = buffer[lead];
  const width = first < 0x80 ? 1 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + width <= length ? length : lead;
}
