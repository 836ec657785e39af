import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { RunlogError } from '../errors/runlogError.js';
import { type ArtifactVersionSource, syncArtifactVersions } from '../sync/artifactSync.js';
import { syncBlobs } from '../sync/blobSync.js';
import { artifactVersionSources } from '../sync/node/artifactSources.js';
import { readRange } from '../sync/node/fileRanges.js';
import type { ServerRunState } from '../sync/runSync.js';
import { SYNC_STREAMS, type SyncStreamName, syncStream } from '../sync/streamSync.js';
import { refused } from '../sync/syncTransport.js';
import { RunFileScan } from './runFileScan.js';
import type { RunLease } from './runLease.js';
import { refusedStatus, type WriterTransport } from './writerTransport.js';

const gzipAsync = promisify(gzip);
const DOCUMENTS = ['run.json', 'summary.json', 'metrics.json'] as const;
type DocumentName = (typeof DOCUMENTS)[number];
const STREAMS = Object.entries(SYNC_STREAMS) as [SyncStreamName, string][];
/** Files (media, saved files) are scanned at most this often while the run goes on; always at the end. */
const FILE_SCAN_INTERVAL_MS = 5_000;
const MAX_BACKOFF_MS = 15_000;

/** wandb's sync status of an online run: what the server acknowledged and what is still to send. */
export interface OnlineSyncStatus {
  host: string;
  /** 'syncing': caught up or sending; 'retrying': the last attempt failed, the next is scheduled; 'stopped': this
   *  process no longer sends (another writer took the run, or the run ended before the upload completed);
   *  'done': everything is on the server. */
  state: 'syncing' | 'retrying' | 'stopped' | 'done';
  /** History rows the server has (its count; steps it already had are not counted twice). */
  rowsAcknowledged: number;
  /** History rows on disk the server has not acknowledged yet. */
  pendingRows: number;
  /** Bytes of the run's streams the server has acknowledged (its high-water marks). */
  bytesAcknowledged: number;
  /** Bytes of the run's streams on disk that the server has not acknowledged yet. */
  pendingBytes: number;
  lastAcknowledgedAt: Date | undefined;
  lastError: { message: string; at: string } | undefined;
}

export interface OnlineSyncerParts {
  transport: WriterTransport;
  lease: RunLease;
  host: string;
  storeDir: string;
  project: string;
  runId: string;
  /** The run folder. */
  dir: string;
  /** A batch is sent once this many bytes wait (default 1 MiB), else every `intervalMs` (default 1 s). */
  batchBytes: number;
  intervalMs: number;
  /** History rows this process has written to disk. */
  rowsOnDisk: () => number;
  /** The first failure of an outage, told once per kind (one warning line, and the run's errors). */
  reportError: (error: unknown, context: string) => void;
  abort: AbortController;
  /** The project and id run.json is sent with, when the server's differ from the local run's (t9k's folder), and
   *  any other run.json fields the server's copy takes (t9k's upload: its name, `uploadedFrom`). */
  rename?: { project: string; id: string; [field: string]: unknown };
  /** Maps the artifact versions before they are sent (t9k's upload: into the folder's project). */
  mapArtifacts?: (versions: ArtifactVersionSource[]) => ArtifactVersionSource[];
}

/**
 * The background half of an online run: on a timer (never in `log()`), sends what the run wrote to its local
 * store since the server's last acknowledgement — run.json, the five streams from their high-water marks in
 * whole lines (gzip), new media and saved files, artifact versions the lineage names, then summary.json and
 * metrics.json — renewing the run's lease as it goes. A failure (server down, network cut, token revoked) is
 * retried with backoff; the local store stays the source of truth, so nothing is lost or sent twice.
 */
export class OnlineSyncer {
  private server: ServerRunState | undefined;
  private readonly acked = new Map<SyncStreamName, number>();
  private readonly localSize = new Map<SyncStreamName, number>();
  private readonly docSeq = new Map<DocumentName, number>();
  private readonly docSentMtime = new Map<DocumentName, number>();
  private readonly files: RunFileScan;
  private readonly artifactsSent = new Set<string>();
  private artifactsOffset = 0;
  private lastFileScan = 0;
  private rowsAcked = 0;
  private baseRows: number | undefined;
  private lastCycleAt = 0;
  private lastAckAt: Date | undefined;
  private lastError: OnlineSyncStatus['lastError'];
  private failures = 0;
  private nextAttemptAt = 0;
  private announced = false;
  private busy: Promise<void> | undefined;
  private renewing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private state: OnlineSyncStatus['state'] = 'syncing';

  constructor(private readonly parts: OnlineSyncerParts) {
    this.files = new RunFileScan(parts.dir);
  }

  /** A request being retried (network, 5xx, 429): the status shows it at once, before the attempt gives up. */
  noteRetry(reason: string): void {
    if (this.state !== 'syncing') return;
    this.state = 'retrying';
    this.lastError = { message: `${this.parts.host}: ${reason}; retrying`, at: new Date().toISOString() };
  }

  /** init could not reach the server and said so: the first failure is not told again. */
  startedUnreachable(error: Error): void {
    this.announced = true;
    this.state = 'retrying';
    this.lastError = { message: error.message, at: new Date().toISOString() };
  }

  private get base(): string {
    return `/api/v1/projects/${this.parts.project}/runs/${this.parts.runId}`;
  }

  /** Starts the timer: a quarter of the interval, so a full batch does not wait a whole interval. */
  start(): void {
    const poll = Math.max(50, Math.floor(this.parts.intervalMs / 4));
    this.timer = setInterval(() => void this.poll(), poll);
    this.timer.unref();
  }

  status(): OnlineSyncStatus {
    let bytesAcknowledged = 0;
    let pendingBytes = 0;
    for (const [name] of STREAMS) {
      const acked = this.acked.get(name) ?? 0;
      bytesAcknowledged += acked;
      pendingBytes += Math.max(0, (this.localSize.get(name) ?? 0) - acked);
    }
    const rowsLocal = (this.baseRows ?? 0) + this.parts.rowsOnDisk();
    return {
      host: this.parts.host,
      state: this.state,
      rowsAcknowledged: this.rowsAcked,
      pendingRows: Math.max(0, rowsLocal - this.rowsAcked),
      bytesAcknowledged,
      pendingBytes,
      lastAcknowledgedAt: this.lastAckAt,
      lastError: this.lastError,
    };
  }

  /** A timer tick: sends when a batch is full or the interval passed, unless a send or a backoff is under way. */
  private async poll(): Promise<void> {
    // A long catch-up (a backlog after an outage) keeps the lease alive beside it.
    if (this.busy && !this.parts.lease.fresh && !this.renewing && this.state === 'syncing') {
      this.renewing = this.parts.lease
        .renew()
        .catch((error) => this.failed(error))
        .then(() => {
          this.renewing = undefined;
        });
    }
    if (this.busy || this.state === 'stopped' || this.state === 'done' || Date.now() < this.nextAttemptAt) return;
    const due = Date.now() - this.lastCycleAt >= this.parts.intervalMs;
    if (!due) {
      const size = await this.statStream('history');
      if (size - (this.acked.get('history') ?? 0) < this.parts.batchBytes || this.busy) return;
    }
    this.busy = this.attempt(false).then(() => {
      this.busy = undefined;
    });
  }

  /** One cycle, its failure recorded and the next attempt scheduled with backoff. Never throws. */
  private async attempt(final: boolean): Promise<boolean> {
    this.lastCycleAt = Date.now();
    try {
      await this.cycle(final);
      this.failures = 0;
      this.nextAttemptAt = 0;
      if (this.state === 'retrying') this.state = 'syncing';
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  private failed(error: unknown): void {
    if (this.parts.abort.signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    this.lastError = { message, at: new Date().toISOString() };
    if (error instanceof RunlogError && error.code === 'RUN_LEASED') {
      // Another process writes the run now: this one must not send anything more. Its rows stay on disk.
      this.state = 'stopped';
      this.stop();
      this.parts.reportError(error, 'online sync (the run is leased by another writer; rows stay in the local store)');
      return;
    }
    this.state = 'retrying';
    this.failures++;
    const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.failures - 1, 10));
    this.nextAttemptAt = Date.now() + backoff / 2 + Math.random() * (backoff / 2);
    // A refusal may mean the server's state is not what this process thinks: ask again next time. A write refused
    // for another writer's lease means this lease is gone: the next attempt asks for it (and stops if refused).
    const refusal = refusedStatus(error);
    if (refusal) this.server = undefined;
    if (refusal?.code === 'RUN_LEASED') this.parts.lease.forget();
    if (!this.announced) {
      this.announced = true;
      this.parts.reportError(error, `online sync to ${this.parts.host}`);
    }
  }

  /**
   * Sends everything up to now. With `final` (the run's files are complete), a torn last line is sent too, and
   * files and artifacts are always looked at.
   */
  private async cycle(final: boolean): Promise<void> {
    const { transport, lease } = this.parts;
    if (!lease.fresh) await lease.renew();
    if (!this.server) await this.loadServerState();
    await this.putDocuments(['run.json']);
    for (const [name] of STREAMS) {
      const size = await this.statStream(name);
      const from = this.acked.get(name) ?? 0;
      if (size <= from) continue;
      if (!lease.held) await lease.renew();
      const read = (offset: number, length: number) => readRange(this.streamPath(name), offset, length);
      await syncStream(transport, this.parts, { name, size, read }, from, final, {
        batchBytes: this.parts.batchBytes,
        compress: async (bytes) => ({ bytes: await gzipAsync(bytes, { level: 1 }), encoding: 'gzip' }),
        onProgress: (hwm, rows) => {
          this.acked.set(name, hwm);
          if (name === 'history' && rows !== undefined && Number.isFinite(rows)) this.rowsAcked = rows;
          this.lastAckAt = new Date();
        },
      });
    }
    if (final || Date.now() - this.lastFileScan >= FILE_SCAN_INTERVAL_MS) await this.syncFiles();
    if (final || (this.acked.get('artifacts') ?? 0) > this.artifactsOffset) await this.syncArtifacts();
    await this.putDocuments(['summary.json', 'metrics.json']);
  }

  private async loadServerState(): Promise<void> {
    const answer = await this.parts.transport.json('GET', `${this.base}/sync`);
    if (answer.status !== 200) throw refused('reading the server state of the run', answer);
    const state = answer.body as unknown as ServerRunState;
    for (const [name] of STREAMS) this.acked.set(name, state.streams[name]?.hwm ?? 0);
    this.rowsAcked = state.streams.history?.rows ?? 0;
    this.baseRows ??= this.rowsAcked;
    for (const name of DOCUMENTS) this.docSeq.set(name, state.documents[name]?.seq ?? -1);
    this.files.know(state.files);
    this.server = state;
  }

  /** Documents whose file changed since last sent; the seq is the mtime, kept above the server's (clock skew). */
  private async putDocuments(names: DocumentName[]): Promise<void> {
    for (const name of names) {
      const path = join(this.parts.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info || this.docSentMtime.get(name) === info.mtimeMs) continue;
      let body: unknown;
      try {
        body = JSON.parse(await readFile(path, 'utf8'));
      } catch {
        continue; // replaced while read: the next cycle sends the new version
      }
      if (name === 'run.json' && this.parts.rename) body = { ...(body as object), ...this.parts.rename };
      const seq = Math.max(Math.floor(info.mtimeMs), (this.docSeq.get(name) ?? -1) + 1);
      const answer = await this.parts.transport.json('PUT', `${this.base}/documents/${name}?seq=${seq}`, body);
      if (answer.status !== 200) throw refused(`${this.parts.project}/${this.parts.runId} ${name}`, answer);
      this.docSeq.set(name, Number(answer.body.seq));
      this.docSentMtime.set(name, info.mtimeMs);
      this.lastAckAt = new Date();
    }
  }

  private async syncFiles(): Promise<void> {
    this.lastFileScan = Date.now();
    const changed = await this.files.changed();
    if (changed.length === 0) return;
    await syncBlobs(this.parts.transport, changed, { concurrency: 2 });
    for (let i = 0; i < changed.length; i += 10_000) {
      const list = changed.slice(i, i + 10_000).map(({ path, sha256, size }) => ({ path, sha256, size }));
      const answer = await this.parts.transport.json('PUT', `${this.base}/files`, { files: list });
      if (answer.status !== 200) throw refused(`${this.parts.project}/${this.parts.runId}: recording files`, answer);
    }
    this.files.mark(changed);
    this.lastAckAt = new Date();
  }

  private async syncArtifacts(): Promise<void> {
    const offset = this.acked.get('artifacts') ?? 0;
    const local = await artifactVersionSources(this.parts.storeDir, this.streamPath('artifacts'));
    const all = this.parts.mapArtifacts?.(local) ?? local;
    const fresh = all.filter((v) => !this.artifactsSent.has(`${v.project}/${v.name}:v${v.localVersion}`));
    await syncArtifactVersions(this.parts.transport, fresh, { concurrency: 2 });
    for (const v of fresh) this.artifactsSent.add(`${v.project}/${v.name}:v${v.localVersion}`);
    this.artifactsOffset = offset;
  }

  private streamPath(name: SyncStreamName): string {
    return join(this.parts.dir, SYNC_STREAMS[name]);
  }

  private async statStream(name: SyncStreamName): Promise<number> {
    const size = (await stat(this.streamPath(name)).catch(() => undefined))?.size ?? 0;
    this.localSize.set(name, size);
    return size;
  }

  /**
   * The end of the run (its files are complete): sends the rest, then releases the lease. Gives up at
   * `timeoutMs` (in-flight requests aborted); resolves true when everything is on the server.
   */
  async finish(timeoutMs: number): Promise<boolean> {
    this.stop();
    const deadline = Date.now() + timeoutMs;
    const left = () => deadline - Date.now();
    const timedOut = new Promise<false>((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, left()));
      timer.unref();
    });
    const drain = async (): Promise<boolean> => {
      await this.busy;
      while ((this.state as OnlineSyncStatus['state']) !== 'stopped' && left() > 0) {
        this.failures = Math.min(this.failures, 2); // at the end, retry soon
        if (await this.attempt(true)) return true;
        const wait = Math.min(Math.max(0, this.nextAttemptAt - Date.now()), left());
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      return false;
    };
    const complete = await Promise.race([drain(), timedOut]);
    if (complete) {
      this.state = 'done';
      await this.parts.lease.release();
    } else {
      this.state = 'stopped';
      this.parts.abort.abort(new RunlogError('SYNC_UNAVAILABLE', 'the run ended before its upload completed'));
    }
    return complete;
  }

  /** Stops the timer (the run ends, or this process may no longer write). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
