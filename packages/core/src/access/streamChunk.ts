/**
 * The append-only streams of a run. Row streams hold one JSON object per line (docs/FORMAT.md):
 * `history` (logged rows, `_step` ordered), `system` (machine metrics), `alerts`, `artifacts` (the versions the
 * run used and logged). `output` is the captured console text.
 */
export const ROW_STREAMS = ['history', 'system', 'alerts', 'artifacts'] as const;
export type RowStream = (typeof ROW_STREAMS)[number];
export type TextStream = 'output';
export type StreamName = RowStream | TextStream;
export const STREAM_NAMES: readonly StreamName[] = [...ROW_STREAMS, 'output'];

/**
 * Where and how much of a stream to read.
 *
 * Offsets are BYTE offsets into the stream as the writing process appended it (its file in a local store). Every
 * implementation keys a stream the same way, so an offset read from one store means the same row in a copy of
 * it (the server keys the batches it ingests on the client's byte offsets too).
 */
export interface StreamReadOptions {
  /**
   * Byte offset to start at. `0` (the default) or a `nextOffset` of an earlier chunk: taken as given (a row
   * stream's `nextOffset` is always a line start). A NEGATIVE offset counts back from the end (`-65536`: the last
   * 64 KiB) and is then moved forward to the next line start.
   */
  offset?: number;
  /** Start at the last `last` complete lines instead (the tail of a stream); `offset` is then ignored. */
  last?: number;
  /**
   * history only: start at the first row whose `_step` is >= `minStep` (found by bisection, not by reading
   * everything before it); `offset` is then ignored. Rows before it may still come back: filter by step.
   */
  minStep?: number;
  /**
   * About how many bytes to read in this call (default 4 MiB). A chunk holds whole lines only, and at least one
   * when the stream has one (a line longer than `maxBytes` comes back whole).
   */
  maxBytes?: number;
  /**
   * Row streams: only rows holding every one of these key paths, with just these keys plus `_step` (history) or
   * `_runtime` and `_timestamp` (other streams). Default: whole rows.
   */
  keys?: readonly string[];
}

interface ChunkPosition {
  /** Where this chunk starts (the requested offset, resolved to a byte offset). */
  offset: number;
  /** Just after the last byte this chunk covers: pass it as `offset` to continue. */
  nextOffset: number;
  /** The stream's size in bytes when it was read; `nextOffset === size` means caught up. 0 when absent. */
  size: number;
}

/**
 * Decoded rows of a row stream. The one torn/damaged-line rule (docs/FORMAT.md, "Readers"): a line is complete
 * once its newline is written. Bytes after the last newline are a line still being written (or torn by a crash):
 * never returned, and not passed: `nextOffset` stops before them, so the next read returns the line once it is
 * complete. A complete line that is not a JSON object is damaged: skipped, counted in `skipped`, and reading goes
 * on. Empty lines are ignored.
 */
export interface RowChunk extends ChunkPosition {
  rows: Record<string, unknown>[];
  /** Damaged lines skipped in this chunk. */
  skipped: number;
  /** With `keys`: which of them appear in at least one row read (even in rows left out for lacking another). */
  keysSeen?: string[];
}

/**
 * Console text. The text ends at a line end, except when the chunk reaches the end of the stream without
 * any newline: then the bytes there are returned (cut at a character boundary), so a last line without newline
 * (a progress bar, a finished run's last words) is still shown.
 */
export interface TextChunk extends ChunkPosition {
  text: string;
}

/**
 * Whole lines of a row stream as undecoded UTF-8 bytes (`openRowBytes`): the same offsets and torn-line rule as
 * RowChunk; damaged lines are left for the reader to skip (RowBytesCursor does, by the same rule).
 */
export interface RowBytesChunk extends ChunkPosition {
  bytes: Uint8Array;
}

/**
 * A row stream held open for one reader's sequence of reads (`openRowBytes`; HistoryScan.visit). A read costs one
 * read of the store, so a read started ahead completes while the reader parses the chunk before it.
 */
export interface RowBytesReader {
  read(options?: RowBytesReadOptions): Promise<RowBytesChunk>;
  close(): Promise<void>;
}

/** What `RowBytesReader.read` takes: where to read from, about how much, and optionally a buffer to read into. */
export interface RowBytesReadOptions extends Pick<StreamReadOptions, 'offset' | 'minStep' | 'maxBytes'> {
  /**
   * A buffer the caller reuses from read to read: a store may read the bytes into it (the chunk's `bytes` are then
   * a view of it, overwritten by the next read into it) instead of allocating a fresh one per chunk.
   */
  into?: Buffer;
}

/** What `readStream` returns for a stream: rows, or text for `output`. */
export type StreamChunk<S extends StreamName = StreamName> = S extends TextStream ? TextChunk : RowChunk;
