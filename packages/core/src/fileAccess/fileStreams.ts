import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  RowBytesChunk,
  RowBytesReader,
  RowBytesReadOptions,
  RowChunk,
  RowStream,
  StreamChunk,
  StreamName,
  StreamReadOptions,
  TextChunk,
} from '../access/streamChunk.js';
import { ROW_STREAMS, STREAM_NAMES } from '../access/streamChunk.js';
import { InvalidValueError } from '../errors/runlogError.js';
import { KeyProjection } from '../historyRows/keyProjection.js';
import { parseRowBytes } from '../historyRows/parseRowBytes.js';
import {
  readLineBytesWindow,
  readLineWindow,
  readOpenLineBytesWindow,
  readWholeLineBytes,
} from '../jsonLines/lineWindow.js';
import { seekStep } from '../jsonLines/seekStep.js';
import { RUN_FILES } from '../storage/storePaths.js';

/** The file of each stream in a run folder. */
export const STREAM_FILES: Readonly<Record<StreamName, string>> = {
  history: RUN_FILES.history,
  system: RUN_FILES.system,
  alerts: RUN_FILES.alerts,
  artifacts: RUN_FILES.artifacts,
  output: RUN_FILES.output,
};

/** The file behind a stream; INVALID_ARGUMENT for a name that is not a stream. */
export function streamFile(runDir: string, stream: StreamName): string {
  if (!(STREAM_NAMES as readonly string[]).includes(stream)) {
    throw new InvalidValueError(
      `stream must be one of ${STREAM_NAMES.join(', ')}, got ${JSON.stringify(stream)}`,
      'INVALID_ARGUMENT',
    );
  }
  return join(runDir, STREAM_FILES[stream]);
}

/** readStream of the file store: lines through the one line reader, rows by the one damaged-line rule. */
export async function readFileStream<S extends StreamName>(
  runDir: string,
  stream: S,
  options: StreamReadOptions = {},
): Promise<StreamChunk<S>> {
  const path = streamFile(runDir, stream);
  checkReadOptions(stream, options);
  const { last, maxBytes, keys } = options;
  if (stream === 'output') {
    const window = await readLineWindow(path, { offset: options.offset, last, maxBytes, unterminatedTail: true });
    const chunk: TextChunk = { ...window };
    return chunk as StreamChunk<S>;
  }
  const offset =
    options.minStep !== undefined && last === undefined ? await seekStep(path, options.minStep) : options.offset;
  if (!keys) {
    const { bytes, ...position } = await readLineBytesWindow(path, { offset, last, maxBytes });
    const { rows, skipped } = parseRowBytes(bytes, stream === 'history');
    const chunk: RowChunk = { ...position, rows, skipped };
    return chunk as StreamChunk<S>;
  }
  const { text, ...position } = await readLineWindow(path, { offset, last, maxBytes });
  const projection = new KeyProjection(keys, stream === 'history');
  const rows: Record<string, unknown>[] = [];
  let skipped = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    if (end > start) {
      const row = projection.line(text.slice(start, end));
      if (row === undefined) skipped++;
      else if (row !== null) rows.push(row);
    }
    start = end + 1;
  }
  const chunk: RowChunk = { ...position, rows, skipped, keysSeen: projection.seenKeys() };
  return chunk as StreamChunk<S>;
}

/**
 * openRowBytes of the file store: the same line windows as readFileStream, not decoded, from one open handle. The
 * size is taken again only when a read reaches the size known, so a stream still growing is read to its end.
 * A missing stream reads as empty.
 */
export async function openFileRowBytes(runDir: string, stream: RowStream): Promise<RowBytesReader> {
  if (!(ROW_STREAMS as readonly string[]).includes(stream)) {
    throw new InvalidValueError(`openRowBytes reads row streams, not ${JSON.stringify(stream)}`, 'INVALID_ARGUMENT');
  }
  const path = streamFile(runDir, stream);
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined; // no rows yet: reads are empty
    throw error;
  });
  let size = handle === undefined ? 0 : (await handle.stat()).size;
  return {
    async read(options: RowBytesReadOptions = {}): Promise<RowBytesChunk> {
      checkReadOptions(stream, options);
      const window = { offset: options.offset ?? 0, maxBytes: options.maxBytes, into: options.into };
      // The usual read (on from the last window, before the size known) starts reading the file before it
      // returns: behind an `await`, a read started ahead would wait for the caller's synchronous work to end.
      if (handle !== undefined && options.minStep === undefined && window.offset >= 0 && window.offset < size) {
        return readWholeLineBytes(handle, size, window.offset, window);
      }
      if (options.minStep !== undefined) window.offset = await seekStep(path, options.minStep);
      if (handle === undefined) {
        return { bytes: Buffer.alloc(0), offset: window.offset, nextOffset: window.offset, size };
      }
      size = (await handle.stat()).size; // at the end known: the stream may have grown since
      return readOpenLineBytesWindow(handle, size, window);
    },
    close: async () => handle?.close(),
  };
}

function checkReadOptions(stream: StreamName, options: StreamReadOptions): void {
  const bad = (what: string) => new InvalidValueError(`readStream(${stream}): ${what}`, 'INVALID_ARGUMENT');
  const { offset, last, minStep, maxBytes, keys } = options;
  if (offset !== undefined && !Number.isSafeInteger(offset)) throw bad(`offset must be an integer, got ${offset}`);
  if (last !== undefined && !(Number.isSafeInteger(last) && last >= 0)) throw bad(`last must be >= 0, got ${last}`);
  if (maxBytes !== undefined && !(maxBytes > 0)) throw bad(`maxBytes must be positive, got ${maxBytes}`);
  if (minStep !== undefined && (stream !== 'history' || typeof minStep !== 'number' || Number.isNaN(minStep))) {
    throw bad('minStep is a number, for the history stream only');
  }
  if (keys !== undefined) {
    if (stream === 'output') throw bad('keys select rows; output is text');
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k === '')) {
      throw bad('keys must be an array of key names, like ["loss", "val/acc"]');
    }
  }
}
