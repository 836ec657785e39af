import { open } from 'node:fs/promises';
import { NEWLINE } from './lineBytes.js';

export interface LineChunkOptions {
  /** Byte offset to start at; must be the start of a line. */
  start?: number;
  chunkBytes?: number;
  /** Called after each chunk with the bytes consumed so far (from `start`) and the file size when opened. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * Reads a JSON-lines file as strings of whole lines (each ending in '\n'), several megabytes at a time, through
 * one open handle (whole-file reads: artifacts.jsonl, consumers.jsonl). Cutting at the last newline byte keeps
 * multi-byte characters whole. A last line without its newline is never returned (see jsonLineRows.ts). A missing
 * file yields nothing.
 */
export async function* readLineChunks(path: string, options: LineChunkOptions = {}): AsyncGenerator<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const totalBytes = options.onProgress ? (await handle.stat()).size : 0;
    let buffer = Buffer.allocUnsafe(options.chunkBytes ?? 1 << 22);
    let position = options.start ?? 0;
    let carried = 0;
    let consumed = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      const filled = carried + bytesRead;
      const lastNewline = buffer.lastIndexOf(NEWLINE, filled - 1);
      if (lastNewline === -1) {
        // One line longer than the buffer: grow it and keep reading.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
        carried = filled;
        continue;
      }
      const text = buffer.toString('utf8', 0, lastNewline + 1);
      buffer.copy(buffer, 0, lastNewline + 1, filled);
      carried = filled - lastNewline - 1;
      consumed += lastNewline + 1;
      yield text;
      options.onProgress?.(consumed, totalBytes);
    }
  } finally {
    await handle.close();
  }
}
