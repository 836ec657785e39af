import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { bytesOf, type DeferredLine, type Entry, isDeferred, Mark, newlines, queuedSize } from './appendEntries.js';
import { ByteBuilder } from './byteBuilder.js';
import { tailOf } from './streamTail.js';

export type { DeferredLine } from './appendEntries.js';

/**
 * Streams are opened without O_APPEND: each write goes to the offset this writer counted for its bytes, so
 * writing the same bytes twice (see `flushSync`) cannot duplicate them.
 */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT;

/** Appended bytes go to the queue in views of at most about this size (and at every deferred line or mark). */
const SEAL_BYTES = 64 * 1024;
/** Size of each buffer that appended text is encoded into. */
const BUILDER_BYTES = 1024 * 1024;
/**
 * A caller that never yields (a tight synchronous loop) starves the scheduled flush: once this many flushes'
 * worth of bytes are queued, `endLine` writes synchronously so memory stays bounded.
 */
const SYNC_WRITE_FLUSHES = 4;
/** A failed write is retried on a timer, first after this long, doubling up to RETRY_MAX_MS (never per call). */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;
/** Default bound on the bytes a stream keeps queued while its writes fail; newer lines are dropped beyond it. */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

export interface AppendWriterOptions<M> {
  /** Flush as soon as this many bytes are queued. */
  flushBytes: number;
  /** Called for each failed write; the data stays queued and is retried on a timer (backing off). */
  onError: (error: unknown) => void;
  /** Bound on unwritten bytes (default DEFAULT_MAX_QUEUED_BYTES): lines beyond it are dropped and counted. */
  maxQueuedBytes?: number;
  /** Called once, the first time lines are dropped because the queue is full. */
  onFirstDrop?: (maxQueuedBytes: number) => void;
  /** A disabled run's stream: lines are built as usual, then dropped; nothing is ever written. */
  discard?: boolean;
  /**
   * Called, in order, for each mark once every byte before it is written: `start` is the previous mark's offset
   * (or the file's size when this writer was made), `end` the mark's own offset in the file.
   */
  onMark?: (payload: M, start: number, end: number, spansDroppedLines: boolean) => void;
}

/**
 * An append-only stream file fed from the calling thread without blocking it: `append` encodes the text into
 * a byte buffer, and `flush` (called by a timer, when `flushBytes` are queued, and by finish) writes what is
 * queued in order with one write. Lines with media keep their place: the queue drains up to the first deferred
 * line that is not ready. A failed write keeps the unwritten bytes queued, so nothing is lost while the disk is
 * full. `M` is the type of the marks' payloads (history's index blocks); a stream without marks leaves it `never`.
 */
export class AppendWriter<M = never> {
  /** Where appended text is encoded; its bytes move to the queue when sealed. */
  private readonly builder = new ByteBuilder(BUILDER_BYTES);
  private queue: Entry<M>[] = [];
  /** Bytes in the queue (a deferred line counts its fallback's length). */
  private queuedEntryBytes = 0;
  /** Bytes that a failed or partial write left over, written before anything newer. */
  private leftover: Buffer | undefined;
  private handle: FileHandle | undefined;
  private writing: Promise<void> | undefined;
  private flushScheduled = false;
  /**
   * The asynchronous write under way (a synchronous one must wait for it to end), with its bytes;
   * `rewritten` once `flushSync` wrote them itself.
   */
  private flight: { buffer: Buffer; rewritten: boolean } | undefined;
  private closed = false;
  private failedWrites = 0;
  /** Bytes of this writer on disk. */
  private bytesWritten = 0;
  /** The file's size when this writer was made: where its bytes start. */
  private readonly streamStart: number;
  /** The file ended in a torn line, which this writer's first byte (a newline of its own) ends. */
  private readonly endsTornLine: boolean;
  /** Bytes taken off the queue so far (written, or in `leftover`). */
  private bytesTaken = 0;
  /** Marks taken off the queue, with their file offsets, waiting for the bytes before them to be written. */
  private takenMarks: { payload: M; end: number; dropped: number }[] = [];
  private lastMarkEnd: number;
  private lastMarkDropped = 0;
  /** While writes fail: the retry timer, and how long the next wait is. Flushes before then write nothing. */
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  private droppedLineCount = 0; // lines dropped: the queue reached maxQueuedBytes while writes failed

  constructor(
    readonly path: string,
    private readonly options: AppendWriterOptions<M>,
  ) {
    const { size, torn } = options.discard ? { size: 0, torn: false } : tailOf(path);
    this.streamStart = size;
    this.lastMarkEnd = size;
    this.endsTornLine = torn;
    if (torn) {
      // A process died mid-line (a resumed run's file): end that line first, so it stays one damaged line that
      // readers skip instead of swallowing the first line written now.
      this.leftover = Buffer.from('\n');
      this.bytesTaken = 1;
      this.lastMarkEnd = size + 1;
    }
  }

  /** Bytes appended and not written yet (none for a stream that discards). */
  get queuedBytes(): number {
    return this.options.discard ? 0 : this.unwrittenBytes;
  }

  private get unwrittenBytes(): number {
    return this.queuedEntryBytes + this.builder.pending + (this.leftover?.length ?? 0);
  }

  /** Writes that failed (each is retried at the next flush). */
  get writeErrors(): number {
    return this.failedWrites;
  }

  /** Lines dropped, never written: the queue was full while the disk refused writes. */
  get droppedLines(): number {
    return this.droppedLineCount;
  }

  /**
   * Lines appended whose bytes are not all on disk yet (in the builder, queued, being written, or left over by
   * a failed write). It counts their newlines, so it costs a scan of what is queued: for status(), not hot paths.
   */
  unwrittenLines(): number {
    let lines = newlines(this.builder.unsealed) + newlines(this.leftover);
    for (const entry of this.queue) {
      if (Buffer.isBuffer(entry)) lines += newlines(entry);
      else if (isDeferred(entry)) lines++;
    }
    const flight = this.flight;
    if (flight !== undefined && !flight.rewritten) lines += newlines(flight.buffer);
    // The newline that ends an earlier session's torn line is not a line of this writer.
    if (this.endsTornLine && this.bytesWritten === 0) lines--;
    return lines;
  }

  append(text: string): void {
    this.builder.text(text);
    this.endLine();
  }

  /**
   * The buffer the next line goes into, for a caller that writes a line piece by piece (a history row) instead
   * of as one string; call `endLine()` once the whole line is in.
   */
  get line(): ByteBuilder {
    return this.builder;
  }

  /** After a line was appended: moves big enough bytes to the queue and flushes when enough is queued. */
  endLine(): void {
    if (this.builder.pending >= SEAL_BYTES) this.sealBuilder();
    const queued = this.unwrittenBytes;
    if (queued >= this.options.flushBytes * SYNC_WRITE_FLUSHES && this.flight === undefined) {
      // While writes fail, the retry timer writes: never a synchronous retry per call.
      if (this.retryTimer === undefined) this.writeQueuedSync(false);
      return;
    }
    if (queued >= this.options.flushBytes && !this.flushScheduled && this.retryTimer === undefined) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  appendDeferred(line: DeferredLine): void {
    if (this.options.discard) return;
    this.sealBuilder();
    this.queue.push(line);
    this.queuedEntryBytes += line.fallback.length;
  }

  /** Marks the position after everything appended so far; `options.onMark` gets its offset once written. */
  appendMark(payload: M): void {
    if (this.options.discard) return;
    this.sealBuilder();
    this.queue.push(new Mark(payload, this.droppedLineCount));
  }

  private sealBuilder(): void {
    const bytes = this.builder.seal();
    if (bytes === undefined || this.options.discard) return;
    const max = this.options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    if (this.retryDelayMs !== 0 && this.unwrittenBytes >= max) {
      // Memory stays bounded while the disk refuses writes: these whole lines are dropped, and counted.
      if (this.droppedLineCount === 0) this.options.onFirstDrop?.(max);
      this.droppedLineCount += newlines(bytes);
      return;
    }
    this.queue.push(bytes);
    this.queuedEntryBytes += bytes.length;
  }

  /**
   * Writes everything ready now; resolves once on disk (or the write failed and was reported). While writes
   * fail, a flush before the retry time writes nothing unless `force`d (run.flush() and finish try once).
   */
  flush(force = false): Promise<void> {
    const previous = this.writing ?? Promise.resolve();
    if (this.retryTimer !== undefined && !force) return previous;
    const next = previous.then(() => this.writeReady());
    this.writing = next;
    return next;
  }

  /** Waits for every deferred line to be ready, then writes everything. */
  async drain(): Promise<void> {
    for (;;) {
      const waiting = this.queue.filter((e): e is DeferredLine => isDeferred(e) && e.bytes === undefined);
      if (waiting.length === 0) break;
      await Promise.all(waiting.map((e) => e.done));
    }
    await this.flush(true);
  }

  /**
   * Takes the queue up to the first deferred line that is not ready (all of it with `useFallbacks`) as one
   * buffer, counted as taken; marks get their file offsets.
   */
  private take(useFallbacks: boolean): Buffer | undefined {
    this.sealBuilder();
    const pieces: Buffer[] = [];
    let bytes = 0;
    let count = 0;
    for (const entry of this.queue) {
      if (entry instanceof Mark) {
        this.takenMarks.push({ ...entry, end: this.streamStart + this.bytesTaken + bytes });
      } else {
        const piece = Buffer.isBuffer(entry) ? entry : bytesOf(entry, useFallbacks);
        if (piece === undefined) break;
        pieces.push(piece);
        bytes += piece.length;
      }
      count++;
    }
    if (count === 0) return undefined;
    for (const entry of this.queue.splice(0, count)) this.queuedEntryBytes -= queuedSize(entry);
    this.bytesTaken += bytes;
    if (pieces.length <= 1) return pieces[0];
    return Buffer.concat(pieces, bytes);
  }

  /** Reports the marks whose bytes are all written. */
  private releaseMarks(): void {
    const written = this.streamStart + this.bytesWritten;
    let released = 0;
    for (const mark of this.takenMarks) {
      if (mark.end > written) break;
      this.options.onMark?.(mark.payload, this.lastMarkEnd, mark.end, mark.dropped !== this.lastMarkDropped);
      this.lastMarkEnd = mark.end;
      this.lastMarkDropped = mark.dropped;
      released++;
    }
    if (released > 0) this.takenMarks.splice(0, released);
  }

  private async writeReady(): Promise<void> {
    // After a failure, what was left over is written first, alone (not copied with the queue each try).
    if (this.leftover !== undefined && this.queue.length > 0) {
      await this.writeBuffer(this.withLeftover(undefined));
      if (this.leftover !== undefined) return; // still failing: the queue waits for the retry
    }
    await this.writeBuffer(this.withLeftover(this.take(false)));
  }

  private async writeBuffer(buffer: Buffer): Promise<void> {
    if (buffer.length === 0) {
      this.releaseMarks(); // marks at the very end of what was written before
      return;
    }
    const position = this.writePosition;
    const flight = { buffer, rewritten: false };
    this.flight = flight;
    let offset = 0;
    try {
      this.handle ??= await open(this.path, WRITE_FLAGS);
      while (offset < buffer.length) {
        const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset, position + offset);
        offset += bytesWritten;
      }
      if (!flight.rewritten) this.wrote(buffer.length);
    } catch (error) {
      if (flight.rewritten) return;
      this.keepUnwritten(buffer, offset);
      this.retryLater();
      // Reopen next time: the file may have been replaced or the disk freed meanwhile.
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close().catch(() => {});
      this.options.onError(error);
    } finally {
      if (this.flight === flight) this.flight = undefined;
    }
  }

  /**
   * Writes everything queued right now, synchronously: for signal and exit handlers. Deferred lines that are
   * not ready are written without their media (their fallback text). An asynchronous write still under way may
   * never finish in a dying process, so its bytes are written again first, at the same offsets: the same bytes
   * at the same place, whichever write lands last. With `keepDeferred` (a process that goes on: a signal or an
   * exception its own handlers deal with), lines still waiting for media stay queued instead.
   */
  flushSync(keepDeferred = false): void {
    const flight = this.flight;
    if (flight !== undefined && !flight.rewritten) {
      flight.rewritten = true;
      this.leftover = this.leftover ? Buffer.concat([flight.buffer, this.leftover]) : flight.buffer;
    }
    this.writeQueuedSync(!keepDeferred);
  }

  /** The file offset of the next byte to write: bytes are written in order, each to its own offset. */
  private get writePosition(): number {
    return this.streamStart + this.bytesWritten;
  }

  /** Writes the queue synchronously: all of it (`useFallbacks`), or up to the first deferred line not ready. */
  private writeQueuedSync(useFallbacks: boolean): void {
    const buffer = this.withLeftover(this.take(useFallbacks));
    if (buffer.length === 0) {
      this.releaseMarks();
      return;
    }
    const position = this.writePosition;
    let offset = 0;
    try {
      const fd = openSync(this.path, WRITE_FLAGS);
      try {
        while (offset < buffer.length) {
          offset += writeSync(fd, buffer, offset, buffer.length - offset, position + offset);
        }
      } finally {
        closeSync(fd);
      }
      this.wrote(buffer.length);
    } catch (error) {
      this.keepUnwritten(buffer, offset);
      this.retryLater();
      this.options.onError(error);
    }
  }

  /** `buffer` behind the bytes a failed write left over (written first), or just the leftover. */
  private withLeftover(buffer: Buffer | undefined): Buffer {
    const leftover = this.leftover;
    this.leftover = undefined;
    if (!leftover) return buffer ?? Buffer.alloc(0);
    return buffer ? Buffer.concat([leftover, buffer]) : leftover;
  }

  private wrote(bytes: number): void {
    this.bytesWritten += bytes;
    this.releaseMarks();
    if (this.retryDelayMs !== 0) {
      // Space is back: stop backing off and write what waited, in order.
      this.retryDelayMs = 0;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      if (this.queue.length > 0) setImmediate(() => void this.flush());
    }
  }

  /** A write failed: the next try is on a timer, each wait twice the last (up to RETRY_MAX_MS). */
  private retryLater(): void {
    this.retryDelayMs = Math.min(RETRY_MAX_MS, Math.max(RETRY_FIRST_MS, this.retryDelayMs * 2));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  /** A write failed after `offset` bytes: the rest is kept for the next write, nothing queued is dropped. */
  private keepUnwritten(buffer: Buffer, offset: number): void {
    this.bytesWritten += offset;
    this.leftover = buffer.subarray(offset);
    this.failedWrites++;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.drain();
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => {});
  }
}
