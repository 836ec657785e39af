import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EventEncoder } from '../proto/eventEncoder.js';
import { ProtoWriter } from '../proto/protoWriter.js';

export interface EventFileWriterOptions {
  /**
   * Write under a temporary name (without "tfevents", so TensorBoard does not read it half-written) and rename
   * to `path` at close: a file appears whole or not at all (export). Default false: the file grows in place
   * and TensorBoard can tail it (live sink).
   */
  atomic?: boolean;
  /** Wall time (seconds) of the file_version event; default now. */
  startTime?: number;
  /**
   * The encoding buffer's first size (default 64 KiB, grown by doubling): a writer that flushes every few MiB
   * (export) starts at its size, so its buffers are not grown and copied through every size below.
   */
  bufferBytes?: number;
}

/**
 * One event file: Events are encoded into memory by `encoder` (synchronously, cheap) and appended to the file by
 * `flush()` (asynchronous; flushes never overlap) or `flushSync()` (exit paths). The folder is created at the
 * first flush. Errors reject the flush; the caller decides whether they are fatal.
 */
export class EventFileWriter {
  readonly encoder: EventEncoder;
  private handle: FileHandle | undefined;
  private syncFd: number | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  /** An asynchronous write has taken its bytes and not finished. */
  private inFlight = false;
  /** A background flush was asked for and has not started yet. */
  private flushRequested = false;
  /** The buffer the last write finished with: the encoder's next buffer (no copy, no new allocation). */
  private spare: Uint8Array | undefined;
  /** Bytes appended to the file so far. */
  bytesWritten = 0;
  private readonly writePath: string;

  constructor(
    readonly path: string,
    private readonly options: EventFileWriterOptions = {},
  ) {
    this.writePath = options.atomic
      ? join(dirname(path), `.${basename(path).replace('tfevents', 'events')}.${process.pid}.tmp`)
      : path;
    this.encoder = new EventEncoder(new ProtoWriter(options.bufferBytes));
    this.encoder.fileVersion(options.startTime ?? Date.now() / 1000);
  }

  /** Bytes encoded but not yet handed to the file. */
  get pendingBytes(): number {
    return this.encoder.out.pos;
  }

  /** Appends everything encoded so far to the file. */
  flush(): Promise<void> {
    // A failed write rejects its own flush only: the next flush tries again with what is pending then.
    this.writing = this.writing.catch(() => undefined).then(() => this.writePending());
    return this.writing;
  }

  /**
   * For hot paths (a sink called on every log): starts a background flush once `threshold` bytes are pending,
   * and writes synchronously when four times that piled up because the caller's loop never yields.
   */
  flushIfLarge(threshold: number): void {
    const pending = this.encoder.out.pos;
    if (pending < threshold) return;
    if (pending >= 4 * threshold && !this.inFlight) this.flushSync();
    else if (!this.flushRequested) {
      this.flushRequested = true;
      void this.flush().catch(() => undefined);
    }
  }

  private async writePending(): Promise<void> {
    this.flushRequested = false;
    const out = this.encoder.out;
    if (out.pos === 0) return;
    const bytes = out.swap(this.spare);
    this.spare = undefined;
    this.inFlight = true;
    try {
      if (this.handle === undefined) {
        await mkdir(dirname(this.path), { recursive: true });
        this.handle = await open(this.writePath, 'a');
      }
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      this.bytesWritten += bytes.length;
    } finally {
      this.inFlight = false;
      this.spare = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset);
    }
  }

  /** Appends what is encoded now, synchronously (exit handlers, loops that never yield). */
  flushSync(): void {
    const out = this.encoder.out;
    if (out.pos === 0) return;
    try {
      if (this.syncFd === undefined) {
        mkdirSync(dirname(this.path), { recursive: true });
        this.syncFd = openSync(this.writePath, 'a');
      }
      let offset = 0;
      while (offset < out.pos) offset += writeSync(this.syncFd, out.bytes, offset, out.pos - offset);
      this.bytesWritten += out.pos;
    } finally {
      out.reset(); // bytes that could not be written are dropped: memory never grows with a broken disk
    }
  }

  /** Flushes and closes the file (renaming an atomic file to its final name). Calling it again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return this.writing;
    this.closed = true;
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
    if (this.syncFd !== undefined) closeSync(this.syncFd);
    if (this.options.atomic) await rename(this.writePath, this.path);
  }

  /**
   * Closes synchronously: what is encoded now is in the file when this returns (a run's finish, exit handlers).
   * A write already under way completes in the background and its handle is closed after it.
   */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    this.flushSync();
    if (this.syncFd !== undefined) closeSync(this.syncFd);
    this.syncFd = undefined;
    if (this.options.atomic) renameSync(this.writePath, this.path);
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await this.handle?.close();
        this.handle = undefined;
      });
  }

  /** Gives up an atomic file: its temporary file is removed and nothing appears under `path`. */
  async abandon(): Promise<void> {
    this.closed = true;
    await this.writing.catch(() => undefined);
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    if (this.options.atomic) await rm(this.writePath, { force: true });
  }
}
