import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '../artifacts/artifact.js';
import { resolveArtifact } from '../artifacts/storeQueries.js';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { LIVE_STATES } from '../run/runState.js';
import { atomicWriteJson } from '../storage/atomicWrite.js';
import { readJson } from '../storage/readJson.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { encodeJson } from '../values/jsonCodec.js';
import type { JsonObject } from '../values/jsonTypes.js';
import { type ArtifactUse, readArtifactUses } from './artifactUse.js';
import { deleteLoggedVersions } from './deleteLoggedVersions.js';
import { type ExportHistoryOptions, type ExportResult, exportHistory } from './historyExport.js';
import { HistoryIndex } from './historyIndex.js';
import { HistorySampler } from './historySampler.js';
import {
  absentKeys,
  type HistoryRow,
  HistoryScan,
  type HistorySource,
  project,
  type ScanHistoryOptions,
} from './historyScan.js';
import { resolveKeyPath } from './keyPath.js';
import { findRunFile, listRunFiles, type RunFile } from './runFiles.js';
import type { RunRecord, RunState } from './runRecord.js';
import { loadRunSnapshot, type RunSnapshot } from './runSnapshot.js';
import { StateTransitionError } from './stateTransitionError.js';
import { assertTransition } from './stateTransitions.js';

export interface HistoryOptions {
  /** Key paths to return (rows holding all of them). Default: every key. */
  keys?: readonly string[];
  /** About how many rows to return (default 500): an even spread plus first, last and each key's extremes. */
  samples?: number;
  /** The key rows are ordered and spread by; returned in every row. Default `_step` (`_runtime` for system). */
  xAxis?: string;
  /** 'default' for logged metrics (history.jsonl), 'system' for machine metrics (system.jsonl). */
  stream?: 'default' | 'system';
  /**
   * Use the history index (history-index.jsonl) to find extremes and read only the chosen rows. Default 'auto':
   * when the history has at least 16 rows per sample; `false` always reads every row.
   */
  useIndex?: boolean | 'auto';
}

export interface DeleteRunOptions {
  /** Also delete the artifact versions this run logged (other runs' versions are never touched). */
  deleteArtifacts?: boolean;
  /** Delete even when the run still looks alive. */
  force?: boolean;
}

/**
 * A run as a reader sees it (wandb's public-API Run, made local): a snapshot of run.json and summary.json
 * taken when it was loaded (`reload()` refreshes it), with history read on demand.
 * Edit `name`, `tags`, `notes`, `group`, `jobType`, `config` or `summary` and call `update()` to write them back.
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
  /** Absolute run folder. */
  readonly dir: string;
  name!: string;
  tags!: string[];
  notes!: string;
  group!: string | null;
  jobType!: string | null;
  config!: JsonObject;
  summary!: Record<string, unknown>;
  private snapshot!: RunSnapshot;

  constructor(
    snapshot: RunSnapshot,
    /** Absolute store root (for artifacts). */
    readonly storeDir: string,
  ) {
    this.id = snapshot.record.id;
    this.project = snapshot.record.project;
    this.path = `${this.project}/${this.id}`;
    this.dir = snapshot.dir;
    this.adopt(snapshot);
  }

  private adopt(snapshot: RunSnapshot): void {
    const { record } = snapshot;
    this.snapshot = snapshot;
    this.name = record.name;
    this.tags = [...record.tags];
    this.notes = record.notes;
    this.group = record.group;
    this.jobType = record.jobType;
    this.config = structuredClone(record.config);
    this.summary = structuredClone(snapshot.summary);
  }

  /** The state a reader sees: `crashed` for a running run whose process is gone (heartbeat stale or pid dead). */
  get state(): RunState {
    return this.snapshot.state;
  }
  /** The state run.json records (what the writer last said). */
  get storedState(): RunState {
    return this.snapshot.record.state;
  }
  get exitCode(): number | null {
    return this.snapshot.record.exitCode;
  }
  get createdAt(): string {
    return this.snapshot.record.createdAt;
  }
  get startedAt(): string | null {
    return this.snapshot.record.startedAt;
  }
  get finishedAt(): string | null {
    return this.snapshot.record.finishedAt;
  }
  get updatedAt(): string {
    return this.snapshot.record.updatedAt;
  }
  get heartbeatAt(): string | null {
    return this.snapshot.heartbeatAt;
  }
  /** Seconds run so far (across resumes). */
  get runtime(): number | undefined {
    return this.snapshot.runtime;
  }
  get metadata(): JsonObject {
    return this.snapshot.record.metadata;
  }
  get resumeCount(): number {
    return this.snapshot.record.resumeCount;
  }
  /** The last `_step` in history, -1 when nothing was logged. */
  get lastHistoryStep(): number {
    return this.snapshot.lastHistoryStep;
  }
  /** run.json as read (a copy). */
  get record(): RunRecord {
    return structuredClone(this.snapshot.record);
  }

  /** Re-reads the run from disk, dropping unsaved edits. */
  async reload(): Promise<this> {
    this.adopt(await loadRunSnapshot(this.dir, this.project, this.id));
    return this;
  }

  private source(stream: 'default' | 'system'): HistorySource {
    const summary = this.snapshot.summary;
    return {
      path: join(this.dir, stream === 'system' ? RUN_FILES.system : RUN_FILES.history),
      stepped: stream !== 'system',
      knownKey: (key) => stream !== 'system' && resolveKeyPath(summary, key) !== undefined,
      availableKeys: () => Object.keys(summary).filter((k) => !k.startsWith('_')),
    };
  }

  /**
   * Streams the history: rows holding every requested key (all keys when none), in step order, `minStep`
   * inclusive, `maxStep` exclusive. Iterate rows, or `pages()` for arrays of `pageSize` rows.
   */
  scanHistory(options: ScanHistoryOptions = {}): HistoryScan {
    return new HistoryScan(this.source('default'), options);
  }

  /**
   * A sampled history for plots: about `samples` rows spread evenly over the run, always including the first
   * and last row and, for each requested key (each numeric key when none), the rows of its minimum and maximum.
   */
  async history(options: HistoryOptions = {}): Promise<HistoryRow[]> {
    const stream = options.stream ?? 'default';
    if (stream !== 'default' && stream !== 'system') {
      throw new InvalidValueError(
        `stream must be "default" or "system", got ${JSON.stringify(stream)}`,
        'INVALID_ARGUMENT',
      );
    }
    const samples = options.samples ?? 500;
    if (!Number.isInteger(samples) || samples < 1) {
      throw new InvalidValueError(`samples must be a positive integer, got ${samples}`, 'INVALID_ARGUMENT');
    }
    const xAxis = options.xAxis ?? (stream === 'system' ? '_runtime' : '_step');
    const keys = options.keys;
    if (stream === 'default' && xAxis === '_step' && options.useIndex !== false) {
      const rows = await this.historyFromIndex(samples, keys, options.useIndex === true);
      if (rows) return rows;
    }
    const required = keys ? [...new Set([xAxis, ...keys])] : undefined;
    const scan = new HistoryScan(this.source(stream), { keys: required, pageSize: 4096 });
    const sampler = new HistorySampler(samples, keys);
    let xAxisSeen = keys !== undefined;
    for await (const page of scan.pages()) {
      for (const row of page) {
        if (!keys) {
          if (resolveKeyPath(row, xAxis) === undefined) continue;
          xAxisSeen = true;
        }
        sampler.add(row);
      }
    }
    if (!xAxisSeen && this.snapshot.lastHistoryStep >= 0 && stream === 'default') {
      throw absentKeys([xAxis], this.source(stream).availableKeys());
    }
    return sampler.result();
  }

  /** Every file in the run folder. */
  files(): Promise<RunFile[]> {
    return listRunFiles(this.dir);
  }

  /** One file by its name relative to the run folder (`output.log`, `media/image/x.png`). */
  file(name: string): Promise<RunFile> {
    return findRunFile(this.dir, this.path, name);
  }

  /** The run's captured console output. */
  async output(): Promise<string> {
    return readFile(join(this.dir, RUN_FILES.output), 'utf8').catch(() => '');
  }

  /** Artifact versions this run logged (from its artifacts.jsonl), read-only; versions since deleted are left out. */
  loggedArtifacts(): Promise<Artifact[]> {
    return this.resolveUses('logged');
  }

  /** Artifact versions this run used, read-only. */
  usedArtifacts(): Promise<Artifact[]> {
    return this.resolveUses('used');
  }

  /** The artifacts.jsonl records behind loggedArtifacts()/usedArtifacts(), without opening any version. */
  artifactRecords(direction: 'used' | 'logged'): Promise<ArtifactUse[]> {
    return readArtifactUses(this.dir, direction);
  }

  private async resolveUses(direction: 'used' | 'logged'): Promise<Artifact[]> {
    const artifacts: Artifact[] = [];
    for (const use of await readArtifactUses(this.dir, direction)) {
      if (!/:v\d+$/.test(use.artifact)) continue; // an unfinished distributed part
      const artifact = await resolveArtifact(this.storeDir, use.artifact).catch((error: unknown) => {
        if (error instanceof RunlogError && error.code === 'ARTIFACT_NOT_FOUND') return undefined;
        throw error;
      });
      if (artifact) artifacts.push(artifact);
    }
    return artifacts;
  }

  /**
   * Writes back edits to name, tags, notes, group, jobType, config (run.json) and summary (summary.json), each
   * file replaced atomically. Summary keys edited here count as set by hand, so a resumed run keeps them.
   */
  async update(): Promise<void> {
    this.validateEdits();
    const runJson = join(this.dir, RUN_FILES.run);
    const current = (await readJson<RunRecord>(runJson)) ?? this.snapshot.record;
    const record: RunRecord = {
      ...current,
      name: this.name,
      tags: [...this.tags],
      notes: this.notes,
      group: this.group,
      jobType: this.jobType,
      config: this.config,
      updatedAt: new Date().toISOString(),
    };
    await atomicWriteJson(runJson, record);
    const before = this.snapshot.summary;
    const changed = Object.keys(this.summary).filter((k) => encodeJson(this.summary[k]) !== encodeJson(before[k]));
    const removed = Object.keys(before).filter((k) => !Object.hasOwn(this.summary, k));
    if (changed.length > 0 || removed.length > 0) {
      await atomicWriteJson(join(this.dir, RUN_FILES.summary), this.summary);
      await this.markManualSummary([...changed, ...removed]);
    }
    this.snapshot = { ...this.snapshot, record, summary: structuredClone(this.summary) };
  }

  private validateEdits(): void {
    const bad = (what: string) => new InvalidValueError(`${this.path}: ${what}`, 'INVALID_ARGUMENT');
    if (typeof this.name !== 'string' || this.name.trim() === '') throw bad('name must be a non-empty string');
    if (!Array.isArray(this.tags) || this.tags.some((t) => typeof t !== 'string')) throw bad('tags must be strings');
    if (typeof this.notes !== 'string') throw bad('notes must be a string');
    for (const [field, value] of [
      ['group', this.group],
      ['jobType', this.jobType],
    ] as const) {
      if (value !== null && typeof value !== 'string') throw bad(`${field} must be a string or null`);
    }
    for (const [field, value] of [
      ['config', this.config],
      ['summary', this.summary],
    ] as const) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`${field} must be an object`);
      try {
        encodeJson(value);
      } catch (error) {
        throw bad(`${field} cannot be stored as JSON (${(error as Error).message})`);
      }
    }
  }

  /** metrics.json's "manual" map (key -> value) tells a resumed run to keep these summary values. */
  private async markManualSummary(keys: string[]): Promise<void> {
    const path = join(this.dir, RUN_FILES.metrics);
    const metrics = await readJson<Record<string, unknown>>(path).catch(() => undefined);
    if (!metrics || typeof metrics !== 'object') return;
    const previous = metrics.manual;
    const manual: Record<string, unknown> =
      previous && typeof previous === 'object' && !Array.isArray(previous) ? { ...previous } : {};
    for (const key of keys) {
      if (Object.hasOwn(this.summary, key)) manual[key] = this.summary[key];
      else delete manual[key];
    }
    await atomicWriteJson(path, { ...metrics, manual });
  }

  /**
   * Sets the state: `pending` (requeue a running, failed, crashed or preempted run; `init({ resume })` picks it
   * up) or `failed` (from pending or running). Other transitions are a StateTransitionError.
   */
  async updateState(state: 'pending' | 'failed'): Promise<void> {
    assertTransition(this.path, this.state, state);
    const runJson = join(this.dir, RUN_FILES.run);
    const current = (await readJson<RunRecord>(runJson)) ?? this.snapshot.record;
    const now = new Date().toISOString();
    const record: RunRecord = {
      ...current,
      state,
      updatedAt: now,
      ...(state === 'failed' ? { finishedAt: current.finishedAt ?? now } : { finishedAt: null, exitCode: null }),
    };
    await atomicWriteJson(runJson, record);
    await this.reload();
  }

  /** Removes the run folder (and with `deleteArtifacts`, the artifact versions it logged). */
  async delete(options: DeleteRunOptions = {}): Promise<void> {
    await this.reload().catch(() => undefined);
    if (LIVE_STATES.has(this.state) && !options.force) {
      throw new StateTransitionError(
        `run ${this.path} is ${this.state} (its process looks alive); stop it first or pass { force: true }`,
      );
    }
    if (options.deleteArtifacts) {
      await deleteLoggedVersions(this.storeDir, this, await readArtifactUses(this.dir, 'logged'));
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * The history index (docs/FORMAT.md), checked against history.jsonl, or undefined when the run has none that
   * can be trusted. It outlines each key's series and extremes without reading every row.
   */
  historyIndex(): Promise<HistoryIndex | undefined> {
    return HistoryIndex.load(join(this.dir, RUN_FILES.history), join(this.dir, RUN_FILES.historyIndex));
  }

  /** history() answered from the index: undefined when it cannot be (no index, sparse keys, a small history). */
  private async historyFromIndex(
    samples: number,
    keys: readonly string[] | undefined,
    always: boolean,
  ): Promise<HistoryRow[] | undefined> {
    const index = await this.historyIndex();
    if (!index) return undefined;
    const total = index.indexedRows + index.gapRows;
    if (!always && total < 16 * samples) return undefined;
    if (keys && !keys.every((key) => index.isDense(key))) return undefined;
    const required = index.extremeSteps(keys ?? index.numericKeys());
    const spread = Math.max(0, samples - required.size - 2);
    const positions = [0, total - 1];
    for (let j = 1; j <= spread; j++) positions.push(Math.round((j * (total - 1)) / (spread + 1)));
    const rows = await index.readRows(positions, required);
    if (!keys) return rows;
    const seen = keys.map(() => false);
    return rows.flatMap((row): HistoryRow[] => {
      const projected = project(row, keys, seen);
      return projected ? [projected] : [];
    });
  }

  /** Writes the history as CSV, JSON lines or Parquet (atomically replacing `path`). */
  exportHistory(options: ExportHistoryOptions): Promise<ExportResult> {
    return exportHistory((scanOptions) => this.scanHistory(scanOptions), options);
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
}
