import { type FileHandle, open } from 'node:fs/promises';
import { afterNewlinesBack, lineStartAtOrAfter, NEWLINE, readFully, utf8Prefix } from './lineBytes.js';

/** Bytes read per call when the caller does not say. */
export const DEFAULT_WINDOW_BYTES = 4 << 20;

export interface LineWindowOptions {
  /**
   * Where to start: >= 0 is taken as given (0, or a `nextOffset` of an earlier window); < 0 counts back from the
   * end and is moved forward to the next line start.
   */
  offset?: number;
  /** Start at the last `last` complete lines instead of `offset`. */
  last?: number;
  /** About how many bytes to read (default 4 MiB); a window always holds a whole line when one is there. */
  maxBytes?: number;
  /**
   * Text streams: when the window reaches the end of the file without any newline, return those bytes (cut at a
   * character boundary) instead of nothing, so a last line without newline is shown.
   */
  unterminatedTail?: boolean;
  /**
   * A buffer the caller reads window after window into (byte readers of a whole stream): used instead of a fresh
   * allocation when the window fits, so the bytes returned are a view of it, valid until the caller reads into it
   * again. A fresh 4 MiB buffer per window costs those readers about a tenth of their time in GC.
   */
  into?: Buffer;
}

/** Whole lines of a file (`text` ends with '\n'), the byte range they came from, and the file size. */
export interface LineWindow {
  text: string;
  offset: number;
  nextOffset: number;
  size: number;
}

/**
 * Reads whole lines of an append-only file from a byte offset: the one place that turns offsets into lines. Bytes
 * after the last newline are a line still being written (or torn): never returned, and `nextOffset` stops before
 * them, so a later read from `nextOffset` returns that line once its newline is written. A missing file reads as
 * empty (size 0).
 */
export async function readLineWindow(path: string, options: LineWindowOptions = {}): Promise<LineWindow> {
  const { bytes, ...position } = await readLineBytesWindow(path, options);
  return { text: bytes.toString('utf8'), ...position };
}

/** readLineWindow without decoding the lines (byte-level parsers: the flat history row reader). */
export async function readLineBytesWindow(path: string, options: LineWindowOptions = {}): Promise<LineBytesWindow> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const at = Math.max(0, options.last === undefined ? (options.offset ?? 0) : 0);
    return { bytes: Buffer.alloc(0), offset: at, nextOffset: at, size: 0 };
  }
  try {
    return await readOpenLineBytesWindow(handle, (await handle.stat()).size, options);
  } finally {
    await handle.close();
  }
}

/**
 * readLineBytesWindow of a file the caller holds open, whose size it knows (readers of many windows of one file):
 * no open, stat or close per window, so a window read ahead is one read that completes on its own.
 */
export async function readOpenLineBytesWindow(
  handle: FileHandle,
  size: number,
  options: LineWindowOptions = {},
): Promise<LineBytesWindow> {
  const offset = await startOf(handle, size, options);
  return readWholeLineBytes(handle, size, offset, options);
}

/**
 * The whole lines of an open file from `offset` (a line start), about `maxBytes` of them: the reader behind
 * readLineWindow, for callers that read several windows of one file (the history index's blocks).
 */
export async function readWholeLines(
  handle: FileHandle,
  size: number,
  offset: number,
  options: Pick<LineWindowOptions, 'maxBytes' | 'unterminatedTail'> = {},
): Promise<LineWindow> {
  const { bytes, ...position } = await readWholeLineBytes(handle, size, offset, options);
  return { text: bytes.toString('utf8'), ...position };
}

/** Whole lines as undecoded UTF-8 bytes (for parsers that read bytes), else as LineWindow. */
export interface LineBytesWindow {
  bytes: Buffer;
  offset: number;
  nextOffset: number;
  size: number;
}

/** readWholeLines without decoding: the bytes of the whole lines (a view into the buffer read). */
export async function readWholeLineBytes(
  handle: FileHandle,
  size: number,
  offset: number,
  options: Pick<LineWindowOptions, 'maxBytes' | 'unterminatedTail' | 'into'> = {},
): Promise<LineBytesWindow> {
  if (offset >= size) return { bytes: Buffer.alloc(0), offset, nextOffset: offset, size };
  const maxBytes = Math.max(1, Math.floor(options.maxBytes ?? DEFAULT_WINDOW_BYTES));
  const want = Math.min(maxBytes, size - offset);
  const into = options.into;
  let buffer = into !== undefined && into.length >= want ? into.subarray(0, want) : Buffer.allocUnsafe(want);
  let filled = await readFully(handle, buffer, 0, buffer.length, offset);
  let end = filled > 0 ? buffer.lastIndexOf(NEWLINE, filled - 1) : -1;
  while (end === -1 && offset + filled < size) {
    // A line longer than the window: read on until its newline (or the end of the file).
    const bigger = Buffer.allocUnsafe(Math.min(filled * 2, size - offset));
    buffer.copy(bigger, 0, 0, filled);
    const got = await readFully(handle, bigger, filled, bigger.length - filled, offset + filled);
    buffer = bigger;
    if (got === 0) break;
    const newline = buffer.subarray(filled, filled + got).indexOf(NEWLINE);
    // The window ends with the long line: the lines after it are the next window's.
    if (newline !== -1) end = filled + newline;
    filled += got;
  }
  if (end === -1) {
    if (!options.unterminatedTail || offset + filled < size) {
      return { bytes: buffer.subarray(0, 0), offset, nextOffset: offset, size };
    }
    const cut = utf8Prefix(buffer, filled);
    return { bytes: buffer.subarray(0, cut), offset, nextOffset: offset + cut, size };
  }
  return { bytes: buffer.subarray(0, end + 1), offset, nextOffset: offset + end + 1, size };
}

async function startOf(handle: FileHandle, size: number, options: LineWindowOptions): Promise<number> {
  if (options.last !== undefined) {
    // The last n complete lines start after the (n+1)-th newline counted back from the end.
    return afterNewlinesBack(handle, size, Math.max(0, Math.floor(options.last)) + 1);
  }
  const offset = options.offset ?? 0;
  if (offset >= 0) return offset;
  const position = Math.max(0, size + offset);
  return (await lineStartAtOrAfter(handle, position, size)) ?? afterNewlinesBack(handle, position, 1);
}
