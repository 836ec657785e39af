import type { RunRef } from '../access/runData.js';
import type { StoreAccess } from '../access/storeAccess.js';
import type { RowBytesChunk, StreamReadOptions } from '../access/streamChunk.js';
import { InvalidValueError } from '../errors/runlogError.js';
import type { HistoryRow } from '../historyRows/historyRowText.js';
import { FLAT_ROW, type FlatHistoryRow, ROW_END, RowBytesCursor } from '../historyRows/rowBytesCursor.js';

export type { FlatHistoryRow, HistoryRow };

/** What `HistoryScan.visit` calls for each row. */
export interface HistoryRowVisitor {
  /** A row of numbers only (the common case), read without building an object. `row` is reused: read it now. */
  flat(row: FlatHistoryRow): void;
  /** Any other row, decoded as the scan's iterator returns it. A returned promise is awaited before going on. */
  row(row: HistoryRow): void | Promise<void>;
}

export interface ScanHistoryOptions {
  /** Only rows holding every one of these key paths, with just these keys and `_step`. Default: all keys. */
  keys?: readonly string[];
  /** Rows read per page (what `pages()` yields). Default 1000. */
  pageSize?: number;
  /** First step to read (inclusive). */
  minStep?: number;
  /** Step to stop before (exclusive), as wandb's `max_step`. */
  maxStep?: number;
  /** Reports bytes read so far and the bytes to read (for progress bars). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** What a scan reads: a row stream of one run, through the store-access seam. */
export interface HistorySource {
  access: StoreAccess;
  run: RunRef;
  stream: 'history' | 'system';
  /** Keys known from elsewhere (the summary), so a key never seen in the scanned range can still be valid. */
  knownKey: (key: string) => boolean;
  /** Lists the keys a run has, for the message when a requested key is absent. */
  availableKeys: () => string[];
}

/** Bytes asked of the store per read. */
const CHUNK_BYTES = 4 << 20;
/**
 * Bytes per read of `visit`: smaller, so its two buffers and what a visitor writes from a chunk stay in the
 * processor's caches (an export ran 8% faster than with 4 MiB; bench/RESULTS.md, TensorBoard).
 */
const VISIT_CHUNK_BYTES = 1 << 20;

/**
 * A streaming read of a run's history: iterate it row by row (`for await (const row of scan)`) or page by page
 * (`for await (const page of scan.pages())`). Memory stays bounded by one read chunk plus one page, so
 * histories larger than memory stream fine. Damaged lines in the middle are skipped and counted in
 * `skippedLines`; a torn last line is ignored. Asking for a key the run never logged is an INVALID_KEY error.
 */
export class HistoryScan implements AsyncIterable<HistoryRow> {
  /** Lines that did not parse (a damaged store), counted as the scan goes. */
  skippedLines = 0;

  constructor(
    private readonly source: HistorySource,
    private readonly options: ScanHistoryOptions = {},
  ) {
    const { keys, pageSize, minStep, maxStep } = options;
    if (keys !== undefined && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k === ''))) {
      throw new InvalidValueError(
        'keys must be an array of metric names, like ["loss", "val/acc"]',
        'INVALID_ARGUMENT',
      );
    }
    if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0)) {
      throw new InvalidValueError(`pageSize must be a positive integer, got ${pageSize}`, 'INVALID_ARGUMENT');
    }
    for (const [name, value] of [
      ['minStep', minStep],
      ['maxStep', maxStep],
    ] as const) {
      if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
        throw new InvalidValueError(`${name} must be a number, got ${String(value)}`, 'INVALID_ARGUMENT');
      }
    }
  }

  async *pages(): AsyncGenerator<HistoryRow[]> {
    const { source } = this;
    const stepped = source.stream === 'history';
    const keys = this.options.keys;
    const pageSize = this.options.pageSize ?? 1000;
    const minStep = stepped ? (this.options.minStep ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
    const maxStep = stepped ? (this.options.maxStep ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    let from: StreamReadOptions = minStep > 0 ? { minStep } : { offset: 0 };
    let start: number | undefined;
    let page: HistoryRow[] = [];
    let stopped = false;
    reading: for (;;) {
      const chunk = await source.access.readStream(source.run, source.stream, { ...from, keys, maxBytes: CHUNK_BYTES });
      start ??= chunk.offset;
      this.skippedLines += chunk.skipped;
      if (chunk.keysSeen) for (const key of chunk.keysSeen) seen.add(key);
      for (const row of chunk.rows) {
        const step = row._step as number;
        if (step < minStep) continue;
        if (step >= maxStep) {
          stopped = true;
          break reading;
        }
        page.push(row);
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
      this.options.onProgress?.(chunk.nextOffset - start, chunk.size - start);
      // Done at the end, or when only a line still being written is left.
      if (chunk.nextOffset >= chunk.size || chunk.nextOffset === chunk.offset) break;
      from = { offset: chunk.nextOffset };
    }
    if (page.length > 0) yield page;
    if (keys) {
      // A key unseen in a partial range may still exist further on: then the summary vouches for it.
      const partial = stopped || minStep > Number.NEGATIVE_INFINITY;
      const unknown = keys.filter((k) => !seen.has(k) && (!partial || !source.knownKey(k)));
      if (unknown.length > 0) throw absentKeys(unknown, source.availableKeys());
    }
  }

  /**
   * Calls `visitor` for every row, in order: the fastest read of a whole history (exports). Rows of numbers only
   * come to `visitor.flat` straight from the store's bytes when the store hands them out (a local store); every
   * other row, and every row of a store that does not or of a scan with `keys`, to `visitor.row`. Resolves to the
   * number of rows visited.
   */
  async visit(visitor: HistoryRowVisitor): Promise<number> {
    const { source } = this;
    const access = source.access;
    if (this.options.keys !== undefined || access.openRowBytes === undefined) {
      let rows = 0;
      for await (const page of this.pages()) {
        for (const row of page) {
          const pending = visitor.row(row);
          if (pending) await pending;
        }
        rows += page.length;
      }
      return rows;
    }
    const stepped = source.stream === 'history';
    const minStep = stepped ? (this.options.minStep ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
    const maxStep = stepped ? (this.options.maxStep ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    const cursor = new RowBytesCursor(stepped);
    const from: { offset: number } | { minStep: number } = minStep > 0 ? { minStep } : { offset: 0 };
    let start: number | undefined;
    let rows = 0;
    // Two buffers, reused for every chunk: the next chunk is read (by the file system's threads) into one while the
    // rows of the other are visited. The cursor copies what it keeps (key bytes) and rows are visited before their
    // buffer is read into again.
    const buffers = [Buffer.allocUnsafe(VISIT_CHUNK_BYTES), Buffer.allocUnsafe(VISIT_CHUNK_BYTES)];
    const reader = await access.openRowBytes(source.run, source.stream);
    const read = (at: { offset: number } | { minStep: number }, into: Buffer) =>
      reader.read({ ...at, maxBytes: VISIT_CHUNK_BYTES, into });
    let next: Promise<RowBytesChunk> | undefined = read(from, buffers[0]);
    try {
      reading: for (let turn = 1; next !== undefined; turn ^= 1) {
        const chunk = await next;
        next = undefined;
        start ??= chunk.offset;
        // Done at the end, or when only a line still being written is left.
        if (chunk.nextOffset < chunk.size && chunk.nextOffset !== chunk.offset) {
          next = read({ offset: chunk.nextOffset }, buffers[turn]);
        }
        cursor.reset(chunk.bytes);
        for (let kind = cursor.next(); kind !== ROW_END; kind = cursor.next()) {
          const step = kind === FLAT_ROW ? cursor.flat.step : (cursor.parsed._step as number);
          if (step < minStep) continue;
          if (step >= maxStep) break reading;
          rows++;
          if (kind === FLAT_ROW) visitor.flat(cursor.flat);
          else {
            const pending = visitor.row(cursor.parsed);
            if (pending) await pending;
          }
        }
        this.skippedLines += cursor.skipped;
        cursor.skipped = 0;
        this.options.onProgress?.(chunk.nextOffset - start, chunk.size - start);
      }
    } finally {
      // A read started ahead and not needed (a step range's end, a visitor's error): let it finish before returning.
      await next?.catch(() => undefined);
      await reader.close();
    }
    this.skippedLines += cursor.skipped;
    return rows;
  }

  [Symbol.asyncIterator](): AsyncIterator<HistoryRow> {
    const pages = this.pages();
    let page: HistoryRow[] = [];
    let index = 0;
    const nextPage = async (): Promise<IteratorResult<HistoryRow>> => {
      while (index >= page.length) {
        const result = await pages.next();
        if (result.done) return { done: true, value: undefined };
        page = result.value;
        index = 0;
      }
      return { done: false, value: page[index++] };
    };
    return {
      // Rows of the current page resolve at once, without an async function per row.
      next: () => (index < page.length ? Promise.resolve({ done: false, value: page[index++] }) : nextPage()),
      return: async () => {
        await pages.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }

  /** Collects every row (for small histories; prefer iterating for large ones). */
  async toArray(): Promise<HistoryRow[]> {
    const rows: HistoryRow[] = [];
    for await (const page of this.pages()) for (const row of page) rows.push(row);
    return rows;
  }
}

export function absentKeys(keys: readonly string[], available: readonly string[]): InvalidValueError {
  const list = available.length > 0 ? available.slice(0, 30).join(', ') : '(none: nothing was logged)';
  return new InvalidValueError(
    `no history row has ${keys.map((k) => JSON.stringify(k)).join(', ')}; logged keys are: ${list}`,
    'INVALID_KEY',
  );
}
