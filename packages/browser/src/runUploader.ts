/// <reference lib="dom" />
import { type RunSyncReport, SyncTransport, syncRun } from '@runlog/core/browser';
import type { BrowserStore } from './browserStore.js';
import type { AckRecord } from './runRecord.js';
import { storeRunSource } from './storeRunSource.js';

export interface UploadOptions {
  /** The runlog server's URL (`http://host:port`). */
  host: string;
  /** A token with the write role for the project. */
  apiKey?: string;
  /** Pause between two uploads of a live run (default 1000 ms). */
  intervalMs?: number;
  /** Bytes per batch before compression (default 1 MiB). */
  batchBytes?: number;
}

export interface UploadStatus {
  /** Bytes of each stream the server acknowledged. */
  acknowledged: AckRecord['streams'];
  /** Bytes stored in the page and not yet acknowledged. */
  pendingBytes: number;
  /** Everything of an ended run is on the server. */
  complete: boolean;
  lastError?: string;
  lastAckAt?: string;
  retries: number;
}

/**
 * Streams one run of the page's storage to a runlog server with core's protocol client, again and again while the
 * run lives: each pass resumes from what the server says it has (its high-water marks), so a pass cut by a closed
 * tab, a lost connection or a server restart is simply done again later, and nothing is stored twice. What the
 * server acknowledged is kept in IndexedDB (`acks`), so the next page load knows which runs still need uploading.
 */
export class RunUploader {
  private readonly transport: SyncTransport;
  private wake?: () => void;
  private stopped = false;
  private loop?: Promise<void>;
  private state: UploadStatus = { acknowledged: {}, pendingBytes: 0, complete: false, retries: 0 };

  constructor(
    private readonly store: BrowserStore,
    private readonly key: string,
    private readonly options: UploadOptions,
  ) {
    this.transport = new SyncTransport({
      hosts: [options.host],
      apiKey: options.apiKey,
      // A pass gives up after a while and the loop tries again: the run's own storage keeps everything meanwhile.
      retry: { baseDelayMs: 250, maxDelayMs: 2000, giveUpAfterMs: 10_000 },
      requestTimeoutMs: 30_000,
    });
  }

  status(): UploadStatus {
    return { ...this.state, retries: this.transport.retries };
  }

  /** Uploads until the run ended and everything is acknowledged (or `stop()`). */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.loop;
  }

  /** Uploads now instead of after the pause. */
  kick(): void {
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Waits for the upload to complete, at most `timeoutMs`; true when it did. */
  async settle(timeoutMs: number): Promise<boolean> {
    this.kick();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = this.start().then(() => this.state.complete);
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (await this.pass()) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalMs ?? 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One pass over the run; true once an ended run is complete on the server. */
  async pass(): Promise<boolean> {
    const record = await this.store.run(this.key);
    if (!record) return true;
    const source = storeRunSource(this.store, record);
    let report: RunSyncReport;
    try {
      report = await syncRun(this.transport, source, {
        batchBytes: this.options.batchBytes ?? 1 << 20,
        compress: gzip,
      });
    } catch (error) {
      this.state.lastError = (error as Error)?.message ?? String(error);
      return false;
    }
    const acks: AckRecord = {
      key: this.key,
      streams: { ...record.streams },
      documents: { ...record.documents },
      files: Object.keys(record.files).length,
      artifacts: record.artifacts.length,
      complete: source.final,
      at: new Date().toISOString(),
    };
    await this.store.putAcks(acks);
    const stored = await this.store.run(this.key);
    let pending = 0;
    for (const [name, size] of Object.entries(stored?.streams ?? {})) {
      pending += (size ?? 0) - (acks.streams[name as keyof AckRecord['streams']] ?? 0);
    }
    this.state = {
      acknowledged: acks.streams,
      pendingBytes: pending,
      complete: acks.complete,
      lastAckAt: acks.at,
      lastError: undefined,
      retries: report.retries,
    };
    return acks.complete;
  }
}

/** gzip by the browser's CompressionStream (level as the browser chooses); the protocol takes Content-Encoding. */
async function gzip(bytes: Uint8Array): Promise<{ bytes: Uint8Array; encoding: string }> {
  if (typeof CompressionStream === 'undefined') return { bytes, encoding: 'identity' };
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return { bytes: new Uint8Array(await new Response(stream).arrayBuffer()), encoding: 'gzip' };
}
