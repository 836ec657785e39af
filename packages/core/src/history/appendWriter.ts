import { closeSync, openSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** A line whose text is not known yet (its media is still encoding); `fallback` is written if we must stop now. */
export interface DeferredLine {
  text: string | undefined;
  fallback: string;
  done: Promise<void>;
}

type Entry = string | DeferredLine;

export interface AppendWriterOptions {
  /** Flush as soon as this many bytes are queued. */
  flushBytes: number;
  /** Called for each failed write; the data stays queued and is retried at the next flush. */
  onError: (error: unknown) => void;
}

/**
 * An append-only stream file fed from the calling thread without blocking it: `append` queues the text, and
 * `flush` (called by a timer, when `flushBytes` are queued, and by finish) writes it in order with one write.
 * Lines with media keep their place: the queue drains up to the first deferred line that is not ready.
 * A failed write keeps the unwritten bytes queued, so nothing is lost while the disk is full.
 */
export class AppendWriter {
  private queue: Entry[] = [];
  private queuedChars = 0;
  /** Bytes that a failed or partial write left over, written before anything newer. */
  private leftover: Buffer | undefined;
  private handle: FileHandle | undefined;
  private writing: Promise<void> | undefined;
  private flushScheduled = false;
  /** An asynchronous write is under way: a synchronous one now could land before it. */
  private inFlight = false;
  private closed = false;
  writeErrors = 0;
  bytesWritten = 0;

  constructor(
    readonly path: string,
    private readonly options: AppendWriterOptions,
  ) {}

  get queuedBytes(): number {
    return this.queuedChars + (this.leftover?.length ?? 0);
  }

  get pendingDeferred(): number {
    let n = 0;
    for (const entry of this.queue) if (typeof entry !== 'string' && entry.text === undefined) n++;
    return n;
  }

  append(text: string): void {
    this.queue.push(text);
    this.queuedChars += text.length;
    // A caller that never yields (a tight synchronous loop) starves the scheduled flush; past a few flushes'
    // worth, write synchronously so memory stays bounded and the short-lived strings die young.
    if (this.queuedChars >= this.options.flushBytes * 4 && !this.inFlight) {
      this.writeQueuedSync(false);
      return;
    }
    if (this.queuedChars >= this.options.flushBytes && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  appendDeferred(line: DeferredLine): void {
    this.queue.push(line);
    this.queuedChars += line.fallback.length;
  }

  /** Writes everything that is ready now; resolves when it is on disk (or the write failed and was reported). */
  flush(): Promise<void> {
    const previous = this.writing ?? Promise.resolve();
    const next = previous.then(() => this.writeReady());
    this.writing = next;
    return next;
  }

  /** Waits for every deferred line to be ready, then writes everything. */
  async drain(): Promise<void> {
    for (;;) {
      const waiting = this.queue.filter((e): e is DeferredLine => typeof e !== 'string' && e.text === undefined);
      if (waiting.length === 0) break;
      await Promise.all(waiting.map((e) => e.done));
    }
    await this.flush();
  }

  private takeReady(): string {
    let count = 0;
    const parts: string[] = [];
    for (const entry of this.queue) {
      if (typeof entry === 'string') parts.push(entry);
      else if (entry.text !== undefined) parts.push(entry.text);
      else break;
      count++;
    }
    if (count === 0) return '';
    const taken = this.queue.splice(0, count);
    for (const e of taken) this.queuedChars -= typeof e === 'string' ? e.length : e.fallback.length;
    return parts.join('');
  }

  private async writeReady(): Promise<void> {
    this.inFlight = true;
    try {
      await this.writeReadyNow();
    } finally {
      this.inFlight = false;
    }
  }

  private async writeReadyNow(): Promise<void> {
    const text = this.takeReady();
    let buffer: Buffer | undefined = text.length > 0 ? Buffer.from(text) : undefined;
    if (this.leftover) {
      buffer = buffer ? Buffer.concat([this.leftover, buffer]) : this.leftover;
      this.leftover = undefined;
    }
    if (!buffer) return;
    let offset = 0;
    try {
      this.handle ??= await open(this.path, 'a');
      while (offset < buffer.length) {
        const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset);
        offset += bytesWritten;
      }
      this.bytesWritten += buffer.length;
    } catch (error) {
      this.leftover = buffer.subarray(offset);
      this.writeErrors++;
      // Reopen next time: the file may have been replaced or the disk freed meanwhile.
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close().catch(() => {});
      this.options.onError(error);
    }
  }

  /**
   * Writes everything queued right now, synchronously: for signal and exit handlers. Deferred lines that are
   * not ready are written without their media (their fallback text).
   */
  flushSync(): void {
    this.writeQueuedSync(true);
  }

  /** Writes the queue synchronously: all of it (`useFallbacks`), or up to the first deferred line not ready. */
  private writeQueuedSync(useFallbacks: boolean): void {
    let text: string;
    if (useFallbacks) {
      const parts: string[] = [];
      for (const entry of this.queue) parts.push(typeof entry === 'string' ? entry : (entry.text ?? entry.fallback));
      this.queue = [];
      this.queuedChars = 0;
      text = parts.join('');
    } else text = this.takeReady();
    let buffer = Buffer.from(text);
    if (this.leftover) buffer = Buffer.concat([this.leftover, buffer]);
    this.leftover = undefined;
    if (buffer.length === 0) return;
    try {
      const fd = openSync(this.path, 'a');
      try {
        let offset = 0;
        while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
      } finally {
        closeSync(fd);
      }
      this.bytesWritten += buffer.length;
    } catch (error) {
      this.writeErrors++;
      this.options.onError(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.drain();
    this.closed = true;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => {});
  }
}
