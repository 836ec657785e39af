import { open } from 'node:fs/promises';
import { decodeJsonValue } from '@runlog/core';

/**
 * Reads the complete lines appended to a JSON-lines stream since `offset` (a byte position at a line start) and
 * returns them decoded with core's value codec, plus the offset just after the last complete line. A torn last
 * line (no newline yet) is left for the next call, as docs/FORMAT.md says a reader must.
 * Only the new bytes are read: this is how live charts follow a large history.
 */
export async function tailJsonLines(
  path: string,
  offset: number,
): Promise<{ rows: Record<string, unknown>[]; nextOffset: number; size: number }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], nextOffset: offset, size: 0 };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { rows: [], nextOffset: offset, size };
    const buffer = Buffer.allocUnsafe(size - offset);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const end = buffer.subarray(0, read).lastIndexOf(0x0a);
    if (end < 0) return { rows: [], nextOffset: offset, size };
    const rows: Record<string, unknown>[] = [];
    for (const line of buffer.toString('utf8', 0, end).split('\n')) {
      if (line.length === 0) continue;
      try {
        const value = decodeJsonValue(JSON.parse(line));
        if (value !== null && typeof value === 'object' && !Array.isArray(value))
          rows.push(value as Record<string, unknown>);
      } catch {
        // A damaged line in the middle is skipped, like core's readJsonLines does.
      }
    }
    return { rows, nextOffset: offset + end + 1, size };
  } finally {
    await handle.close();
  }
}

/**
 * The offset of the start of the line that holds byte `position - 1`, or `position` itself when a line ends
 * right there: a safe place to tail from when `position` was a file size seen while a writer was appending.
 */
export async function lineStartBefore(path: string, position: number): Promise<number> {
  if (position <= 0) return 0;
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return 0;
  try {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let end = position;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) return start + newline + 1;
      end = start;
    }
    return 0;
  } finally {
    await handle.close();
  }
}
