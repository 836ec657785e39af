import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

const NEWLINE = 10;

export interface LineChunkOptions {
  /** Byte offset to start at; must be the start of a line. */
  start?: number;
  chunkBytes?: number;
  /** Called after each chunk with the bytes consumed so far (from 0) and the file size when opened. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * Reads a JSON-lines file as strings of whole lines (each ending in '\n'), several megabytes at a time.
 * Cutting at the last newline byte keeps multi-byte characters whole. A last line without its newline is
 * torn (a writer died mid-append) and never returned, as docs/FORMAT.md asks. A missing file yields nothing.
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

/**
 * Byte offset of a line at or before the first line whose `_step` is >= `minStep`, found by bisecting the file
 * (history is written in increasing `_step` order). Lets a scan skip straight to the middle of a long history.
 */
export async function seekStep(path: string, minStep: number): Promise<number> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return 0;
  }
  try {
    const size = (await handle.stat()).size;
    const probe = Buffer.allocUnsafe(1 << 16);
    let low = 0; // always a line start whose step is < minStep (or the file start)
    let high = size;
    while (high - low > probe.length) {
      const middle = low + Math.floor((high - low) / 2);
      const { bytesRead } = await handle.read(probe, 0, probe.length, middle);
      const first = probe.indexOf(NEWLINE, 0);
      const second = first === -1 ? -1 : probe.indexOf(NEWLINE, first + 1);
      if (second === -1 || second >= bytesRead) break;
      const step = stepOf(probe.toString('utf8', first + 1, second));
      if (step === undefined) break;
      if (step < minStep) low = middle + first + 1;
      else high = middle;
    }
    return low;
  } finally {
    await handle.close();
  }
}

function stepOf(line: string): number | undefined {
  try {
    const step = (JSON.parse(line) as { _step?: unknown })._step;
    return typeof step === 'number' ? step : undefined;
  } catch {
    return undefined;
  }
}

/** The last complete line of a file (undefined when there is none), read from its end. */
export function readLastLineSync(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    for (let window = 1 << 13; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buffer = Buffer.allocUnsafe(size - start);
      const bytesRead = readSync(fd, buffer, 0, buffer.length, start);
      const end = buffer.lastIndexOf(NEWLINE, bytesRead - 1);
      const before = end === -1 ? -1 : buffer.lastIndexOf(NEWLINE, end - 1);
      if (end !== -1 && (before !== -1 || start === 0)) return buffer.toString('utf8', before + 1, end);
      if (start === 0) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}
