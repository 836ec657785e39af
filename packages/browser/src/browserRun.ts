/// <reference lib="dom" />
import {
  Config,
  type DefineMetricOptions,
  defineMetric,
  encodeJson,
  encodeValue,
  HookBus,
  type JsonObject,
  type MediaValue,
  type Metric,
  MetricDefinitions,
  RunFinishedError,
  RunlogError,
  Summary,
  type SyncStreamName,
} from '@runlog/core/browser';
import { EventEmitter } from 'eventemitter3';
import type { BrowserStore, StoreWrite } from './browserStore.js';
import { newVersion, type VersionFile } from './checkpointVersions.js';
import { HistoryLog, type LogOptions } from './historyLog.js';
import { mediaContext } from './mediaFiles.js';
import type { RunRecord } from './runRecord.js';
import type { RunUploader, UploadStatus } from './runUploader.js';

export interface RunIdentity {
  project: string;
  id: string;
  name: string;
  tags: string[];
  notes: string;
  group: string | null;
  jobType: string | null;
}

export interface BrowserRunStatus {
  /** Rows committed by log(). */
  rowsLogged: number;
  /** Rows stored in the page's storage. */
  rowsStored: number;
  /** Rows a refused write lost (the storage bound or quota was hit): never rows stored before. */
  droppedRows: number;
  errors: number;
  lastError?: RunlogError;
  /** The upload to the server (undefined offline). */
  upload?: UploadStatus;
}

/**
 * A run in a web page: the engine's vocabulary (log with wandb's step rules, config, summary, defineMetric, hooks,
 * alerts, finish) over the page's storage. log() is synchronous and never waits for storage: rows are encoded at
 * the call and written by a background flush, each flush one IndexedDB transaction in the local store's format
 * (history.jsonl lines, run.json, summary.json, metrics.json, media blobs), which the uploader streams to the
 * server. Storage and network trouble never throw into training; they are counted in `status()`.
 */
export class BrowserRun {
  readonly hooks: HookBus = new HookBus(this);
  readonly config: Config;
  readonly summary: Summary;
  readonly stopRequested = false;
  private readonly definitions = new MetricDefinitions();
  private readonly history: HistoryLog;
  private readonly events = new EventEmitter();
  private readonly startedAt = performance.now();
  private readonly createdAt: string;
  private state = 'running';
  private finished = false;
  private readonly lines: Record<SyncStreamName, string[]> = {
    history: [],
    system: [],
    alerts: [],
    artifacts: [],
    output: [],
  };
  private newBlobs: StoreWrite['blobs'] = [];
  private newFiles: Array<[string, { sha256: string; size: number }]> = [];
  private newArtifacts: RunRecord['artifacts'] = [];
  private readonly dirty = new Set<'run.json' | 'summary.json' | 'metrics.json'>(['run.json']);
  private flushing: Promise<void> = Promise.resolve();
  private readonly background = new Set<Promise<unknown>>();
  private readonly counts = { rowsLogged: 0, rowsStored: 0, droppedRows: 0, errors: 0 };
  private lastError?: RunlogError;
  private readonly reported = new Set<string>();
  private readonly timer: ReturnType<typeof setInterval>;
  private lastSeq = 0;
  private versionCount = new Map<string, number>();

  constructor(
    readonly identity: RunIdentity,
    private readonly store: BrowserStore,
    private record: RunRecord,
    private readonly uploader: RunUploader | undefined,
    flushIntervalMs: number,
    private readonly syncTimeoutMs: number,
  ) {
    this.createdAt = record.createdAt;
    const guard = (method: string) => this.guard(method);
    this.config = new Config(() => this.dirty.add('run.json'), guard);
    this.summary = new Summary(this.definitions, {
      encodeValue: (value, path) => encodeValue(value, path),
      onManualChange: () => this.dirty.add('summary.json'),
      guard,
    });
    this.history = new HistoryLog(
      this.summary,
      (value, key, step) => this.encodeMedia(value, key, step),
      () => {
        const now = Date.now();
        return { runtime: Math.round(performance.now() - this.startedAt) / 1000, timestamp: now / 1000 };
      },
      (message) => this.warnOnce(message, message),
    );
    this.timer = setInterval(() => void this.flush().catch(() => {}), flushIntervalMs);
  }

  get id(): string {
    return this.identity.id;
  }

  get project(): string {
    return this.identity.project;
  }

  /** wandb's run.log: `{ step, commit }` as the engine's rules (see HistoryLog). Never waits for storage. */
  log(data: Record<string, unknown>, options?: LogOptions): void {
    this.guard('log');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new RunlogError('INVALID_ARGUMENT', 'log takes an object of key -> value');
    }
    const before = this.history.step;
    this.history.log(data, options);
    this.counts.rowsLogged += this.history.step - before;
    this.dirty.add('summary.json');
  }

  defineMetric(name: string, options: DefineMetricOptions = {}): Metric {
    this.guard('defineMetric');
    const metric = defineMetric(this.definitions, this.summary, name, options);
    this.dirty.add('metrics.json');
    return metric;
  }

  /** A line in alerts.jsonl (the dashboard shows it); as core's alert, without its rate limit. */
  alert(alert: { title: string; text: string; level?: 'INFO' | 'WARN' | 'ERROR' }): boolean {
    this.guard('alert');
    const line = {
      title: alert.title,
      text: alert.text,
      level: alert.level ?? 'INFO',
      _timestamp: Date.now() / 1000,
      _step: this.history.step,
    };
    this.append('alerts', `${JSON.stringify(line)}\n`);
    return true;
  }

  on(event: 'finish' | 'error', listener: (...args: unknown[]) => void): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: 'finish' | 'error', listener: (...args: unknown[]) => void): this {
    this.events.off(event, listener);
    return this;
  }

  reportError(error: unknown, context: string): void {
    this.counts.errors++;
    this.lastError =
      error instanceof RunlogError
        ? error
        : new RunlogError('STORAGE', `${context}: ${(error as Error)?.message ?? String(error)}`);
    this.warnOnce(context, `runlog: ${context}: ${this.lastError.message}`);
    this.events.emit('error', this.lastError);
  }

  trackBackground(work: Promise<unknown>, context: string): void {
    const tracked = work.catch((error: unknown) => this.reportError(error, context));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  status(): BrowserRunStatus {
    return { ...this.counts, lastError: this.lastError, upload: this.uploader?.status() };
  }

  /**
   * Stores a checkpoint's files as the next version of the model artifact `name` (blobs in the page's storage, the
   * version for the server, a lineage line in artifacts.jsonl). Used by ModelCheckpoint.
   */
  async logArtifactFiles(
    name: string,
    type: string,
    files: VersionFile[],
    options: { metadata: JsonObject; aliases: string[] },
  ): Promise<{ version: string; qualifiedName: string }> {
    const localVersion = this.versionCount.get(name) ?? 0;
    this.versionCount.set(name, localVersion + 1);
    const made = await newVersion({
      project: this.project,
      runId: this.id,
      name,
      type,
      localVersion,
      files,
      ...options,
    });
    this.newBlobs.push(...made.blobs);
    this.newArtifacts.push(made.record);
    this.append('artifacts', made.lineage);
    await this.flush();
    return { version: `v${localVersion}`, qualifiedName: `${this.project}/${name}:v${localVersion}` };
  }

  /** Writes everything logged so far (rows whose images are still encoding wait for them) to the page's storage. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.writeNow());
    this.flushing = next.catch(() => {});
    return next;
  }

  /**
   * Ends the run: commits the pending row, waits for images and checkpoints, stores everything with the end state,
   * then waits for the upload up to `syncTimeoutMs` (the next page load on this origin finishes it otherwise).
   */
  async finish(exitCode = 0): Promise<void> {
    if (this.finished) return;
    this.history.commit();
    await this.history.settled();
    while (this.background.size > 0) await Promise.all([...this.background]);
    this.finished = true;
    this.state = exitCode === 0 ? 'finished' : 'failed';
    this.dirty.add('run.json').add('summary.json').add('metrics.json');
    clearInterval(this.timer);
    try {
      await this.flush();
    } catch (error) {
      this.reportError(error, 'finish');
    }
    this.events.emit('finish', this);
    if (this.uploader) {
      const done = await this.uploader.settle(this.syncTimeoutMs);
      if (!done) {
        // The upload goes on while the page stays open; a later page load of this origin finishes it otherwise.
        console.warn(
          `runlog: run ${this.id} is stored in this page and not all uploaded yet: the upload goes on in the background, or on the next page load of this origin`,
        );
      }
    }
  }

  private guard(method: string): void {
    if (this.finished) throw new RunFinishedError(`${this.project}/${this.id}`, method);
  }

  /** Appends text (whole lines) to the run's output stream: the page's console, while the run lives. */
  writeOutput(text: string): void {
    if (!this.finished) this.append('output', text);
  }

  private append(stream: SyncStreamName, text: string): void {
    this.lines[stream].push(text);
  }

  private async encodeMedia(value: MediaValue, key: string, step: number) {
    return value.toMediaRef(
      mediaContext(
        {
          addFile: (path, sha256, bytes) => {
            this.newBlobs.push({ sha256, bytes });
            this.newFiles.push([path, { sha256, size: bytes.length }]);
          },
        },
        key,
        step,
      ),
    );
  }

  private async writeNow(): Promise<void> {
    const rows = this.history.takeReady();
    this.lines.history.push(...rows);
    const streams = Object.entries(this.lines) as Array<[SyncStreamName, string[]]>;
    const blobs = this.newBlobs;
    const files = this.newFiles;
    const artifacts = this.newArtifacts;
    const dirty = [...this.dirty];
    if (streams.every(([, l]) => l.length === 0) && blobs.length === 0 && artifacts.length === 0 && dirty.length === 0)
      return;
    const record: RunRecord = {
      ...this.record,
      state: this.state,
      streams: { ...this.record.streams },
      files: { ...this.record.files, ...Object.fromEntries(files) },
      documents: { ...this.record.documents },
      artifacts: [...this.record.artifacts, ...artifacts],
    };
    const write: StoreWrite = { record, chunks: [], documents: [], blobs };
    const encoder = new TextEncoder();
    for (const [stream, lines] of streams) {
      if (lines.length === 0) continue;
      const bytes = encoder.encode(lines.join(''));
      const offset = record.streams[stream] ?? 0;
      write.chunks.push({ stream, offset, bytes });
      record.streams[stream] = offset + bytes.length;
    }
    for (const name of dirty) {
      this.lastSeq = Math.max(this.lastSeq + 1, Date.now());
      record.documents[name] = this.lastSeq;
      write.documents.push({ name, seq: this.lastSeq, value: this.document(name) });
    }
    const historyRows = this.lines.history.length;
    for (const [stream] of streams) this.lines[stream] = [];
    this.newBlobs = [];
    this.newFiles = [];
    this.newArtifacts = [];
    this.dirty.clear();
    try {
      await this.store.commit(write);
    } catch (error) {
      // Nothing of this write was stored; what was stored before is intact. Past the bound its rows are dropped
      // (counted: retrying would fail the same way); any other failure keeps them queued for the next flush.
      for (const name of dirty) this.dirty.add(name);
      if (error instanceof RunlogError && error.code === 'QUOTA_EXCEEDED') this.counts.droppedRows += historyRows;
      else {
        for (const [stream, lines] of streams) this.lines[stream].unshift(...lines);
        this.newBlobs.unshift(...blobs);
        this.newFiles.unshift(...files);
        this.newArtifacts.unshift(...artifacts);
      }
      this.reportError(error, 'storing rows');
      throw error;
    }
    this.record = record;
    this.counts.rowsStored += historyRows;
    this.uploader?.kick();
  }

  private document(name: 'run.json' | 'summary.json' | 'metrics.json'): unknown {
    if (name === 'summary.json') return JSON.parse(encodeJson(this.summary.toJSON()));
    if (name === 'metrics.json')
      return JSON.parse(encodeJson({ definitions: this.definitions.list(), ...this.summary.stateJSON() }));
    const now = new Date().toISOString();
    const ended = this.state !== 'running';
    return JSON.parse(
      encodeJson({
        formatVersion: 1,
        id: this.id,
        name: this.identity.name,
        project: this.project,
        state: this.state,
        exitCode: ended ? (this.state === 'finished' ? 0 : 1) : null,
        createdAt: this.createdAt,
        startedAt: this.createdAt,
        finishedAt: ended ? now : null,
        updatedAt: now,
        resumeCount: 0,
        pid: null,
        host: location.host,
        tags: this.identity.tags,
        notes: this.identity.notes,
        group: this.identity.group,
        jobType: this.identity.jobType,
        config: this.config.toJSON(),
        metadata: { browser: navigator.userAgent, url: location.origin + location.pathname },
      }),
    );
  }

  private warnOnce(key: string, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    console.warn(message);
  }
}
