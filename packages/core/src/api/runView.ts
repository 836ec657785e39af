import { join } from 'node:path';
import { type FollowEvent, type FollowOptions, followStreams } from '../access/followStream.js';
import type { DeleteRunOptions, RunData, RunPatch, RunRef } from '../access/runData.js';
import type { StoreAccess } from '../access/storeAccess.js';
import type { StreamName, TextChunk } from '../access/streamChunk.js';
import { readAllRows, readAllText } from '../access/wholeStream.js';
import type { Artifact } from '../artifacts/artifact.js';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { FileStoreAccess } from '../fileAccess/fileStoreAccess.js';
import { runUrl } from '../run/runIdentity.js';
import { storePaths } from '../storage/storePaths.js';
import type { MetricDefinition } from '../summary/metricDefinition.js';
import { encodeJson } from '../values/jsonCodec.js';
import type { JsonObject } from '../values/jsonTypes.js';
import { type ArtifactUse, artifactUses } from './artifactUse.js';
import { type ExportHistoryOptions, type ExportResult, exportHistory } from './historyExport.js';
import type { HistoryOutline } from './historyOutline.js';
import type { HistoryRow, HistoryScan, ScanHistoryOptions } from './historyScan.js';
import {
  type HistoryOptions,
  historyOutlineOf,
  type RunHistoryContext,
  sampleHistory,
  scanStream,
} from './runHistory.js';
import { checkDocument, checkRunPatch } from './runPatch.js';
import type { RunRecord, RunState } from './runRecord.js';
import { logArtifactFor, resolveArtifactUses, useArtifactFor } from './runViewArtifacts.js';
import { filterFiles, type RunFile, uploadRunFile, withDownload } from './runViewFiles.js';
import { runHtml } from './runViewHtml.js';
import { assertTransition } from './stateTransitions.js';

export type { DeleteRunOptions, HistoryOptions, RunFile };

/** An alert raised with `run.alert()`. */
export interface AlertRecord {
  title: string;
  text: string;
  level: string;
  _timestamp?: number;
  _step?: number;
}

/**
 * A run as a reader sees it (wandb's public-API Run): a snapshot of the run document and summary taken when it
 * was loaded (`reload()` refreshes it), with history, streams and files read on demand through the store-access
 * seam. Edit `name`, `tags`, `notes`, `group`, `jobType`, `config` or `summary` and call `update()` to write them.
 * @example
 * const run = await new Api({ dir: './runlog' }).run('digits/a1b2c3d4');
 * const rows = await run.history({ keys: ['loss'], samples: 200 });
 * for await (const row of run.scanHistory({ keys: ['loss'] })) console.log(row._step, row.loss);
 */
export class RunView {
  readonly id: string;
  readonly project: string;
  /** `project/id` */
  readonly path: string;
  name!: string;
  tags!: string[];
  notes!: string;
  group!: string | null;
  jobType!: string | null;
  config!: JsonObject;
  summary!: Record<string, unknown>;
  private data!: RunData;

  constructor(
    data: RunData,
    /** The store the run is read from. */
    readonly access: StoreAccess,
  ) {
    this.id = data.record.id;
    this.project = data.record.project;
    this.path = `${this.project}/${this.id}`;
    this.adopt(data);
  }

  private adopt(data: RunData): void {
    const { record } = data;
    this.data = data;
    this.name = record.name;
    this.tags = [...record.tags];
    this.notes = record.notes;
    this.group = record.group;
    this.jobType = record.jobType;
    this.config = structuredClone(record.config);
    this.summary = structuredClone(data.summary);
  }

  private get ref(): RunRef {
    return { project: this.project, id: this.id };
  }

  /** The run's folder, for a store on this machine (`new Api({ dir })`); other stores have no folder. */
  get dir(): string {
    return storePaths.run(this.localStore().dir, this.project, this.id);
  }
  /** Absolute store root, for a store on this machine. */
  get storeDir(): string {
    return this.localStore().dir;
  }
  /** The state a reader sees: `crashed` for a running run whose process is gone (heartbeat stale or pid dead). */
  get state(): RunState {
    return this.data.state;
  }
  /** The state run.json records (what the writer last said). */
  get storedState(): RunState {
    return this.data.record.state;
  }
  get exitCode(): number | null {
    return this.data.record.exitCode;
  }
  get createdAt(): string {
    return this.data.record.createdAt;
  }
  get startedAt(): string | null {
    return this.data.record.startedAt;
  }
  get finishedAt(): string | null {
    return this.data.record.finishedAt;
  }
  get updatedAt(): string {
    return this.data.record.updatedAt;
  }
  get heartbeatAt(): string | null {
    return this.data.heartbeatAt;
  }
  /** Seconds run so far (across resumes). */
  get runtime(): number | undefined {
    return this.data.runtime;
  }
  get metadata(): JsonObject {
    return this.data.record.metadata;
  }
  get resumeCount(): number {
    return this.data.record.resumeCount;
  }
  /** The last `_step` in history, -1 when nothing was logged. */
  get lastHistoryStep(): number {
    return this.data.lastHistoryStep;
  }
  /** run.json as read (a copy). */
  get record(): RunRecord {
    return structuredClone(this.data.record);
  }

  /** Re-reads the run, dropping unsaved edits. */
  async reload(): Promise<this> {
    this.adopt(await this.access.readRun(this.ref));
    return this;
  }

  private get historyContext(): RunHistoryContext {
    return { access: this.access, run: this.ref, summary: this.data.summary, lastHistoryStep: this.lastHistoryStep };
  }

  /**
   * Streams the history: rows holding every requested key (all keys when none), in step order, `minStep`
   * inclusive, `maxStep` exclusive. Iterate rows, or `pages()` for arrays of `pageSize` rows.
   */
  scanHistory(options: ScanHistoryOptions = {}): HistoryScan {
    return scanStream(this.historyContext, 'history', options);
  }

  /** Streams the system metrics (system.jsonl rows: `_runtime`, `_timestamp`, `system/...`) like scanHistory. */
  scanSystem(options: Omit<ScanHistoryOptions, 'minStep' | 'maxStep'> = {}): HistoryScan {
    return scanStream(this.historyContext, 'system', options);
  }

  /**
   * A sampled history for plots: about `samples` rows spread evenly over the run, always including the first
   * and last row and, for each requested key (each numeric key when none), the rows of its minimum and maximum.
   */
  history(options: HistoryOptions = {}): Promise<HistoryRow[]> {
    return sampleHistory(this.historyContext, options);
  }

  /**
   * The history index (docs/FORMAT.md), checked against the history, or undefined when the run has none that
   * can be trusted. It outlines each key's series and extremes without reading every row.
   */
  historyIndex(): Promise<HistoryOutline | undefined> {
    return historyOutlineOf(this.historyContext);
  }

  /** Writes the history as CSV, JSON lines or Parquet (atomically replacing `path`). */
  exportHistory(options: ExportHistoryOptions): Promise<ExportResult> {
    return exportHistory((scanOptions) => this.scanHistory(scanOptions), options);
  }

  /** The run's defineMetric definitions (names may be globs like `val/*`), in definition order. */
  metricDefinitions(): Promise<MetricDefinition[]> {
    return this.access.metricDefinitions(this.ref);
  }

  /** The alerts the run raised, oldest first. */
  async alerts(): Promise<AlertRecord[]> {
    return (await readAllRows(this.access, this.ref, 'alerts')) as unknown as AlertRecord[];
  }

  /** The run's captured console output. */
  output(): Promise<string> {
    return readAllText(this.access, this.ref);
  }

  /**
   * Console output from a byte offset (0, or the `nextOffset` of an earlier call; negative: that many bytes
   * before the end), up to `maxBytes`: `{ text, offset, nextOffset, size }`.
   */
  outputFrom(offset: number, options: { maxBytes?: number } = {}): Promise<TextChunk> {
    return this.access.readStream(this.ref, 'output', { offset, maxBytes: options.maxBytes });
  }

  /**
   * Follows streams of the run as they are written (a live tail) until the run ends or `signal` aborts: yields
   * `{ stream, chunk }` for each chunk of new rows (or text).
   * @example
   * for await (const { chunk } of run.follow('history', { last: 10 })) for (const row of chunk.rows) console.log(row);
   */
  follow<S extends StreamName>(stream: S | readonly S[], options: FollowOptions = {}): AsyncGenerator<FollowEvent<S>> {
    return followStreams(this.access, this.ref, typeof stream === 'string' ? [stream] : stream, options);
  }

  /** Every file of the run, sorted by name; wandb's filters: only `names`, and/or names matching `pattern`. */
  async files(names?: string[], pattern?: string): Promise<RunFile[]> {
    const files = await filterFiles(await this.access.listFiles(this.ref), names, pattern);
    const local = this.access instanceof FileStoreAccess ? this.dir : undefined;
    return files.map((f) => withDownload(local ? { ...f, path: join(local, f.name) } : f, this.access, this.ref));
  }

  /** One file by its name relative to the run (`output.log`, `media/image/x.png`); `download(root)` copies it. */
  async file(name: string): Promise<RunFile> {
    const { bytes: _, offset: __, ...info } = await this.access.readFile(this.ref, name, { length: 0 });
    const file = this.access instanceof FileStoreAccess ? { ...info, path: join(this.dir, name) } : info;
    return withDownload(file, this.access, this.ref);
  }

  /** wandb's upload_file: copies a local file into the run's files/ as its path relative to `root` (local stores). */
  async uploadFile(path: string, root = '.'): Promise<RunFile> {
    return this.file(await uploadRunFile(this.dir, path, root));
  }

  /** wandb's public Run.log_artifact: the artifact becomes an output of this (finished) run, lineage recorded. */
  logArtifact(artifact: Artifact, options: { aliases?: string[]; tags?: string[] } = {}): Promise<Artifact> {
    return logArtifactFor(this.lineageRun(), artifact, options);
  }

  /** wandb's public Run.use_artifact: a version (or its name) becomes an input of this run, lineage recorded. */
  useArtifact(artifact: Artifact | string, options: { useAs?: string } = {}): Promise<Artifact> {
    return useArtifactFor(this.lineageRun(), artifact, options);
  }

  private lineageRun() {
    return { storeDir: this.storeDir, project: this.project, id: this.id, dir: this.dir };
  }

  /** Artifact versions this run logged, read-only; versions since deleted are left out (local stores). */
  loggedArtifacts(): Promise<Artifact[]> {
    return this.resolveUses('logged');
  }

  /** Artifact versions this run used, read-only (local stores). */
  usedArtifacts(): Promise<Artifact[]> {
    return this.resolveUses('used');
  }

  /** The run's artifact records behind loggedArtifacts()/usedArtifacts(), without opening any version. */
  async artifactRecords(direction: 'used' | 'logged'): Promise<ArtifactUse[]> {
    return artifactUses(await readAllRows(this.access, this.ref, 'artifacts'), direction);
  }

  private async resolveUses(direction: 'used' | 'logged'): Promise<Artifact[]> {
    return resolveArtifactUses(this.localStore().dir, await this.artifactRecords(direction));
  }

  /**
   * Writes back edits to name, tags, notes, group, jobType, config (run.json) and summary (summary.json), each
   * document replaced atomically. Summary keys edited here count as set by hand, so a resumed run keeps them.
   */
  async update(): Promise<void> {
    const patch: RunPatch = {
      name: this.name,
      tags: this.tags,
      notes: this.notes,
      group: this.group,
      jobType: this.jobType,
      config: this.config,
    };
    checkRunPatch(this.path, patch);
    checkDocument(
      (what) => new InvalidValueError(`${this.path}: ${what}`, 'INVALID_ARGUMENT'),
      'summary',
      this.summary,
    );
    const before = this.data.summary;
    const set: Record<string, unknown> = {};
    for (const key of Object.keys(this.summary)) {
      if (encodeJson(this.summary[key]) !== encodeJson(before[key])) set[key] = this.summary[key];
    }
    const remove = Object.keys(before).filter((k) => !Object.hasOwn(this.summary, k));
    if (Object.keys(set).length > 0 || remove.length > 0) patch.summary = { set, remove };
    this.adopt(await this.access.updateRun(this.ref, patch));
  }

  /**
   * Sets the state: `pending` (requeue a running, failed, crashed or preempted run; `init({ resume })` picks it
   * up) or `failed` (from pending or running). Other transitions are a StateTransitionError.
   */
  async updateState(state: 'pending' | 'failed'): Promise<void> {
    assertTransition(this.path, this.state, state);
    this.adopt(await this.access.setRunState(this.ref, state));
  }

  /** Removes the run (and with `deleteArtifacts`, the artifact versions it logged). */
  async delete(options: DeleteRunOptions = {}): Promise<void> {
    await this.access.deleteRun(this.ref, options).catch((error: unknown) => {
      if (error instanceof RunlogError && error.code === 'RUN_NOT_FOUND') return; // already gone
      throw error;
    });
  }

  /** wandb's system_metrics: the last system sample (system.jsonl), without its `_` fields; {} when none. */
  async systemMetrics(): Promise<Record<string, unknown>> {
    const { rows } = await this.access.readStream(this.ref, 'system', { last: 1 });
    return Object.fromEntries(Object.entries(rows[0] ?? {}).filter(([key]) => !key.startsWith('_')));
  }
  /** wandb's summary_metrics: the summary as loaded. */
  get summaryMetrics(): Record<string, unknown> {
    return this.summary;
  }
  /** wandb's rawconfig: the config as stored in run.json (unaffected by edits not yet written). */
  get rawConfig(): JsonObject {
    return structuredClone(this.data.record.config);
  }
  /** wandb's path as a list, `[entity, project, id]`: local runs have no entity (null). `path` is the string. */
  get pathParts(): [null, string, string] {
    return [null, this.project, this.id];
  }
  /** The run's dashboard page when `RUNLOG_UI_URL` or `RUNLOG_HOST` is set, else null. */
  get url(): string | null {
    return runUrl(this.project, this.id);
  }
  /** wandb's save(): the same as update(). */
  save(): Promise<void> {
    return this.update();
  }
  /** wandb's load(force): the same as reload(). */
  load(_force = true): Promise<this> {
    return this.reload();
  }
  /** wandb's to_html: an iframe of the dashboard page when `url` is known, else a table of the summary. */
  toHtml(height = 420, hidden = false): string {
    const { path, name, state, url, summary } = this;
    return runHtml({ path, name, state, url, summary }, height, hidden);
  }

  /** A plain object for JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.name,
      project: this.project,
      path: this.path,
      state: this.state,
      storedState: this.storedState,
      exitCode: this.exitCode,
      createdAt: this.createdAt,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      updatedAt: this.updatedAt,
      heartbeatAt: this.heartbeatAt,
      runtime: this.runtime ?? null,
      lastHistoryStep: this.lastHistoryStep,
      tags: this.tags,
      notes: this.notes,
      group: this.group,
      jobType: this.jobType,
      config: this.config,
      summary: this.summary,
      metadata: this.metadata,
    };
  }

  private localStore(): FileStoreAccess {
    if (this.access instanceof FileStoreAccess) return this.access;
    throw new RunlogError(
      'INVALID_ARGUMENT',
      `run ${this.path} is read from ${this.access.location}, not a local folder`,
    );
  }
}
