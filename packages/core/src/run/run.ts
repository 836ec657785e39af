import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { RunArtifacts } from '../artifacts/runArtifacts.js';
import { InvalidValueError, RunFinishedError } from '../errors/runlogError.js';
import { AppendWriter, type AppendWriterOptions } from '../history/appendWriter.js';
import { type BlockSummary, blockLine } from '../history/blockIndex.js';
import { HistoryRecorder, type LogOptions } from '../history/historyRecorder.js';
import { MediaFiles } from '../history/mediaFiles.js';
import { HookBus } from '../hooks/hookBus.js';
import type { RunLike } from '../hooks/runLike.js';
import { atomicWriteJson, atomicWriteJsonSync } from '../storage/atomicWrite.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { checkDefinition, type DefineMetricOptions, MetricDefinitions } from '../summary/metricDefinition.js';
import { Summary } from '../summary/summary.js';
import { ConsoleCapture } from '../system/consoleCapture.js';
import { SystemMonitor } from '../system/systemMonitor.js';
import { encodeJson } from '../values/jsonCodec.js';
import { AlertLimiter } from './alertLimiter.js';
import { Config } from './config.js';
import { FileSaver, type SavePolicy } from './fileSaver.js';
import { gitDirty } from './gitInfo.js';
import { bindToProcess, type ProcessBoundRun, unbindFromProcess, watchExitAfterDispose } from './processHooks.js';
import type { StoredRun } from './resume.js';
import type { RunDocument } from './runDocument.js';
import type { RunSettings } from './runOptions.js';
import type { RunState } from './runState.js';
import { StopRequest } from './stopRequest.js';
import { TypedMetricKeys } from './t9kTypes.js';

export type AlertLevel = 'INFO' | 'WARN' | 'ERROR';

export interface RunEvents {
  log: [data: Record<string, unknown>, step: number];
  summary: [key: string, value: unknown];
  alert: [alert: { title: string; text: string; level: AlertLevel; step: number }];
  artifact: [event: { direction: 'used' | 'logged'; artifact: string; type: string }];
  finish: [state: RunState, exitCode: number];
  error: [error: { context: string; message: string; error: unknown }];
}

export interface RunStatus {
  state: RunState;
  step: number;
  rowsWritten: number;
  queuedBytes: number;
  pendingMedia: number;
  lastFlushAt: Date | undefined;
  writeErrors: number;
  errors: Array<{ context: string; message: string; at: string }>;
}

/** Everything init resolved before a Run can exist. */
export interface RunParts {
  document: RunDocument;
  storeDir: string;
  dir: string;
  settings: Required<RunSettings>;
  stored: StoredRun | undefined;
  disabled: boolean;
  onFinish: (run: Run) => void;
}

const MAX_REMEMBERED_ERRORS = 50;
const GIT_DIRTY_CHECK_DELAY_MS = 1000;

/**
 * One run: a thin facade over its history recorder, summary, config, artifacts and lifecycle.
 * Create it with `init()` (or t9k's `createRun()`).
 * @example
 * const run = await init({ project: 'digits', config: { lr: 1e-3 } });
 * for (let epoch = 0; epoch < 3; epoch++) run.log({ loss: 1 / (epoch + 1), epoch });
 * await run.finish();
 */
export class Run extends EventEmitter<RunEvents> implements RunLike, ProcessBoundRun, AsyncDisposable {
  readonly id: string;
  readonly project: string;
  /** 'project/id'. */
  readonly path: string;
  /** The run's folder (absolute). */
  readonly dir: string;
  /** The store root (absolute). */
  readonly storeDir: string;
  readonly startTime: Date;
  readonly resumed: boolean;
  readonly config: Config;
  readonly summary: Summary;
  readonly hooks: HookBus;

  private readonly document: RunDocument;
  private readonly settings: Required<RunSettings>;
  private readonly disabled: boolean;
  private readonly definitions = new MetricDefinitions();
  private readonly history: AppendWriter;
  private readonly historyIndex: AppendWriter;
  private readonly recorder: HistoryRecorder;
  private readonly streams: AppendWriter[];
  private readonly systemWriter: AppendWriter;
  private readonly outputWriter: AppendWriter;
  private readonly alertWriter: AppendWriter;
  private readonly artifacts: RunArtifacts;
  /** Set once finish() has waited for every artifact call: later ones are refused. */
  private artifactsClosed = false;
  private readonly fileSaver: FileSaver;
  private readonly stopRequest: StopRequest;
  private readonly alertLimiter = new AlertLimiter();
  private readonly metricKeys = new TypedMetricKeys();
  private readonly startedAt = performance.now();
  private readonly runtimeOffset: number;
  private readonly onFinishCallback: (run: Run) => void;
  private monitor: SystemMonitor | undefined;
  private capture: ConsoleCapture | undefined;
  private timers: NodeJS.Timeout[] = [];
  private documentDirty = false;
  private documentSave: Promise<void> = Promise.resolve();
  private lastFlushAt: Date | undefined;
  private lastSummarySave = 0;
  private readonly errors: Array<{ context: string; message: string; at: string }> = [];
  private readonly reportedContexts = new Set<string>();
  private finishing: Promise<void> | undefined;
  private ended = false;
  private gitDirtyCheck: Promise<void> | undefined;

  constructor(parts: RunParts) {
    super();
    const { document, settings, stored } = parts;
    this.document = document;
    this.settings = settings;
    this.disabled = parts.disabled;
    this.onFinishCallback = parts.onFinish;
    this.id = document.id;
    this.project = document.project;
    this.path = `${document.project}/${document.id}`;
    this.dir = parts.dir;
    this.storeDir = parts.storeDir;
    this.startTime = new Date();
    this.resumed = stored !== undefined && stored.document.state !== 'pending';
    this.runtimeOffset = stored?.runtimeSeconds ?? 0;
    this.hooks = new HookBus(this);

    const guard = (method: string) => this.guard(method);
    this.config = new Config(() => this.markDocumentDirty(), guard);
    this.config.restore(document.config);
    this.summary = new Summary(this.definitions, (key, value) => this.emit('summary', key, value), guard);

    const onError = (context: string) => (error: unknown) => this.reportError(error, context);
    const writer = (file: string, onMark?: AppendWriterOptions['onMark']) =>
      new AppendWriter(join(this.dir, file), {
        flushBytes: settings.flushBytes,
        onError: onError(`writing ${file}`),
        onMark,
      });
    // Index lines are appended once their history bytes are written, so the index never runs ahead of history.
    this.historyIndex = writer(RUN_FILES.historyIndex);
    this.history = writer(RUN_FILES.history, (block, start, end) =>
      this.historyIndex.append(blockLine(block as BlockSummary, start, end)),
    );
    this.systemWriter = writer(RUN_FILES.system);
    this.outputWriter = writer(RUN_FILES.output);
    this.alertWriter = writer(RUN_FILES.alerts);
    // history before its index: synchronous flushes write in this order
    this.streams = [this.history, this.historyIndex, this.systemWriter, this.outputWriter, this.alertWriter];

    this.recorder = new HistoryRecorder({
      writer: this.history,
      summary: this.summary,
      media: new MediaFiles(this.dir),
      runtime: () => this.runtime(),
      reportError: (error, context) => this.reportError(error, context),
      warn: (message) => this.warn(message),
    });
    if (stored) {
      this.recorder.step = stored.nextStep;
      for (const definition of stored.metrics?.definitions ?? []) this.definitions.define(definition);
      this.summary.restore(stored.metrics ?? {});
    }
    this.artifacts = new RunArtifacts({
      storeDir: this.storeDir,
      project: this.project,
      runId: this.id,
      runDir: this.dir,
      emit: (_event, payload) => this.emit('artifact', payload),
      reportError: (error, context) => this.reportError(error, context),
    });
    this.fileSaver = new FileSaver(join(this.dir, RUN_FILES.files), (error, context) =>
      this.reportError(error, context),
    );
    this.stopRequest = new StopRequest(join(this.dir, RUN_FILES.stopRequest));
  }

  /** Starts timers, capture and process hooks; init calls it once the folder exists. */
  start(): void {
    if (this.disabled) return;
    const s = this.settings;
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      this.timers.push(timer);
    };
    // A sweep trial also looks for a stop request (stop-request.json) on the flush timer, never in log().
    const inSweep = Boolean(this.document.sweepId);
    every(s.flushIntervalMs, () => {
      void this.flushStreams();
      if (inSweep) void this.stopRequest.poll();
    });
    every(s.heartbeatIntervalMs, () => void this.writeHeartbeat());
    if (s.systemMetrics) {
      this.monitor = new SystemMonitor(s.systemMetricsIntervalMs, (sample) => this.writeSystemSample(sample));
      this.monitor.start();
    }
    if (s.console) {
      this.capture = new ConsoleCapture((text) => this.outputWriter.append(text));
      if (!this.capture.start()) this.capture = undefined;
    }
    if (s.processHooks) bindToProcess(this);
    const root = this.document.metadata.git?.root;
    if (root) {
      // `git status` costs a process spawn: run it off the start-up path; a run shorter than this delay
      // records no dirty flag.
      const timer = setTimeout(() => {
        this.gitDirtyCheck = gitDirty(root).then((dirty) => {
          if (dirty !== undefined && this.document.metadata.git) {
            this.document.metadata.git.dirty = dirty;
            this.markDocumentDirty();
          }
        });
      }, GIT_DIRTY_CHECK_DELAY_MS);
      timer.unref();
      this.timers.push(timer);
    }
  }

  // ---- identity ---------------------------------------------------------------------------------------------

  get name(): string {
    return this.document.name;
  }
  set name(name: string) {
    this.guard('name');
    if (typeof name !== 'string' || name.length === 0)
      throw new InvalidValueError('a run name must be a non-empty string', 'INVALID_ARGUMENT');
    this.document.name = name;
    this.markDocumentDirty();
  }
  get tags(): readonly string[] {
    return this.document.tags;
  }
  set tags(tags: readonly string[]) {
    this.guard('tags');
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
      throw new InvalidValueError('tags must be an array of strings', 'INVALID_ARGUMENT');
    this.document.tags = [...tags];
    this.markDocumentDirty();
  }
  get notes(): string {
    return this.document.notes;
  }
  set notes(notes: string) {
    this.guard('notes');
    this.document.notes = String(notes);
    this.markDocumentDirty();
  }
  get group(): string | null {
    return this.document.group;
  }
  get jobType(): string | null {
    return this.document.jobType;
  }
  /** The next step log() writes to. */
  get step(): number {
    return this.recorder.step;
  }
  get state(): RunState {
    return this.document.state;
  }
  get finished(): boolean {
    return this.finishing !== undefined || this.ended;
  }
  /** The sweep this run is a trial of (set by a sweep agent), else null. */
  get sweepId(): string | null {
    return this.document.sweepId ?? null;
  }
  /**
   * True once somebody asked this run to stop early: `requestStop()`, or a sweep agent (early termination, a
   * cancelled sweep). Training loops should end; the tfjs callbacks set `model.stopTraining`.
   * @example for (let epoch = 0; epoch < 100 && !run.stopRequested; epoch++) train(epoch);
   */
  get stopRequested(): boolean {
    return this.stopRequest.requested;
  }
  /** Asks the training loop to end early (see `stopRequested`). */
  requestStop(reason = 'stop requested'): void {
    this.stopRequest.request(reason);
  }

  // ---- t9k vocabulary ---------------------------------------------------------------------------------------

  /** t9k: the hyperparameters, the same object as `config`. */
  get hparams(): Config {
    return this.config;
  }
  /** t9k: labels are tags. */
  get labels(): readonly string[] {
    return this.tags;
  }
  set labels(labels: readonly string[]) {
    this.tags = labels;
  }
  /** t9k: the description is the notes. */
  get description(): string {
    return this.notes;
  }
  set description(text: string) {
    this.notes = text;
  }

  /**
   * t9k's `log(type, metrics, step, epoch)`: writes `<type>/<metric>` keys, with t9k's type aliases
   * (training -> train; validate, validation -> val; testing, eval, evaluate, evaluation -> test).
   * @example run.logMetrics('validation', { loss: 0.2, acc: 0.93 }, { step: 100, epoch: 2 });
   */
  logMetrics(type: string, metrics: Record<string, number>, options: { step?: number; epoch?: number } = {}): void {
    this.guard('logMetrics');
    if (typeof metrics !== 'object' || metrics === null)
      throw new InvalidValueError('logMetrics takes an object of metrics', 'INVALID_ARGUMENT');
    const keys = this.metricKeys.forType(type);
    const row: Record<string, unknown> = {};
    for (const name in metrics) {
      if (Object.hasOwn(metrics, name)) row[keys.key(name)] = metrics[name];
    }
    if (options.epoch !== undefined) row.epoch = options.epoch;
    this.log(row, options.step === undefined ? undefined : { step: options.step });
  }

  /** t9k's to_dict: the run as one plain object. */
  toJSON(): Record<string, unknown> {
    const d = this.document;
    return {
      id: d.id,
      name: d.name,
      project: d.project,
      path: this.path,
      state: d.state,
      labels: [...d.tags],
      description: d.notes,
      group: d.group,
      jobType: d.jobType,
      hparams: this.config.toJSON(),
      summary: this.summary.toJSON(),
      startTimestamp: d.startedAt,
      endTimestamp: d.finishedAt,
      platform: { ...d.metadata, git: undefined },
      git: d.metadata.git ?? null,
      local: this.dir,
      alternativeName: d.alternativeName ?? null,
    };
  }

  // ---- logging ----------------------------------------------------------------------------------------------

  /**
   * Logs a dict of values for a step, with wandb's step rules. Synchronous and cheap: values are validated and
   * serialised now; the disk is written by a background flush. An invalid value throws and nothing of the
   * call is recorded; I/O trouble never throws (see `status()`).
   * @example
   * run.log({ loss: 0.3, 'val/acc': 0.9 });            // step 0, committed
   * run.log({ lr: 1e-3 }, { commit: false });           // accumulates into step 1
   * run.log({ loss: 0.2 });                             // writes step 1 with lr and loss
   */
  log(data: Record<string, unknown>, options?: LogOptions): void {
    if (this.finishing !== undefined || this.ended) throw new RunFinishedError(this.path, 'log');
    const step = this.recorder.step;
    const written = this.recorder.log(data, options);
    if (written && this.listenerCount('log') > 0) this.emit('log', data, options?.step ?? step);
  }

  /**
   * Customises how a metric is summarised and charted; names may be globs ('val/*').
   * @example run.defineMetric('val/loss', { summary: 'min', stepMetric: 'epoch' });
   */
  defineMetric(name: string, options: DefineMetricOptions = {}): void {
    this.guard('defineMetric');
    const definition = checkDefinition(name, options);
    this.definitions.define(definition, options.overwrite ?? true);
    this.summary.refreshDefinitions();
    this.summary.dirty = true;
  }

  /** Definitions made with defineMetric, for readers and charts. */
  metricDefinitions() {
    return this.definitions.list();
  }

  /**
   * Raises an alert: recorded in alerts.jsonl and emitted as 'alert'. The same title again within
   * `waitDurationMs` (default 60 s) is suppressed. Returns whether it was recorded.
   */
  alert(alert: { title: string; text: string; level?: AlertLevel; waitDurationMs?: number }): boolean {
    this.guard('alert');
    if (typeof alert?.title !== 'string' || alert.title.length === 0)
      throw new InvalidValueError('an alert needs a title', 'INVALID_ARGUMENT');
    const level = alert.level ?? 'INFO';
    if (!['INFO', 'WARN', 'ERROR'].includes(level))
      throw new InvalidValueError('alert level must be INFO, WARN or ERROR', 'INVALID_ARGUMENT');
    if (!this.alertLimiter.allow(alert.title, alert.waitDurationMs ?? 60_000)) return false;
    const record = { title: alert.title, text: String(alert.text ?? ''), level, step: this.step };
    if (!this.disabled) {
      this.alertWriter.append(`${encodeJson({ ...record, _timestamp: Date.now() / 1000, _step: record.step })}\n`);
    }
    this.emit('alert', record);
    return true;
  }

  /**
   * Copies files matching `glob` (relative to `basePath`, default the working directory) into the run's files/.
   * policy 'now': once now; 'end': at finish; 'live' (default): now, again whenever they change, and at finish.
   */
  save(glob: string, options: { basePath?: string; policy?: SavePolicy } = {}): Promise<string[]> {
    this.guard('save');
    if (typeof glob !== 'string' || glob.length === 0)
      throw new InvalidValueError('save() needs a glob pattern', 'INVALID_ARGUMENT');
    const policy = options.policy ?? 'live';
    if (!['live', 'now', 'end'].includes(policy))
      throw new InvalidValueError("policy must be 'live', 'now' or 'end'", 'INVALID_ARGUMENT');
    if (this.disabled) return Promise.resolve([]);
    return this.fileSaver.add(glob, options.basePath ?? process.cwd(), policy);
  }

  /** Marks the run as being preempted (a scheduler will stop it and resume it later). */
  markPreempting(): void {
    this.guard('markPreempting');
    this.document.state = 'preempting';
    this.markDocumentDirty();
    void this.flushStreams();
  }

  // ---- artifacts (packages/core/src/artifacts) --------------------------------------------------------------

  logArtifact(...args: Parameters<RunArtifacts['logArtifact']>): ReturnType<RunArtifacts['logArtifact']> {
    this.guardArtifacts('logArtifact');
    return this.artifacts.logArtifact(...args);
  }
  useArtifact(...args: Parameters<RunArtifacts['useArtifact']>): ReturnType<RunArtifacts['useArtifact']> {
    this.guardArtifacts('useArtifact');
    return this.artifacts.useArtifact(...args);
  }
  /** t9k: marks an artifact as an output of this run (logs it). */
  markOutput(...args: Parameters<RunArtifacts['logArtifact']>): ReturnType<RunArtifacts['logArtifact']> {
    this.guardArtifacts('markOutput');
    return this.artifacts.logArtifact(...args);
  }
  /** t9k: marks an artifact as an input of this run (uses it). */
  markInput(...args: Parameters<RunArtifacts['useArtifact']>): ReturnType<RunArtifacts['useArtifact']> {
    this.guardArtifacts('markInput');
    return this.artifacts.useArtifact(...args);
  }
  upsertArtifact(...args: Parameters<RunArtifacts['upsertArtifact']>): ReturnType<RunArtifacts['upsertArtifact']> {
    this.guardArtifacts('upsertArtifact');
    return this.artifacts.upsertArtifact(...args);
  }
  finishArtifact(...args: Parameters<RunArtifacts['finishArtifact']>): ReturnType<RunArtifacts['finishArtifact']> {
    this.guardArtifacts('finishArtifact');
    return this.artifacts.finishArtifact(...args);
  }
  logModel(...args: Parameters<RunArtifacts['logModel']>): ReturnType<RunArtifacts['logModel']> {
    this.guardArtifacts('logModel');
    return this.artifacts.logModel(...args);
  }
  useModel(...args: Parameters<RunArtifacts['useModel']>): ReturnType<RunArtifacts['useModel']> {
    this.guardArtifacts('useModel');
    return this.artifacts.useModel(...args);
  }
  linkModel(...args: Parameters<RunArtifacts['linkModel']>): ReturnType<RunArtifacts['linkModel']> {
    this.guardArtifacts('linkModel');
    return this.artifacts.linkModel(...args);
  }
  linkArtifact(...args: Parameters<RunArtifacts['linkArtifact']>): ReturnType<RunArtifacts['linkArtifact']> {
    this.guardArtifacts('linkArtifact');
    return this.artifacts.linkArtifact(...args);
  }
  logCode(...args: Parameters<RunArtifacts['logCode']>): ReturnType<RunArtifacts['logCode']> {
    this.guardArtifacts('logCode');
    return this.artifacts.logCode(...args);
  }
  /**
   * Tracks background work that logs artifacts later (tfjs's ModelCheckpoint writes checkpoints while training
   * goes on): `flush()`, `finish()` and `useArtifact`/`useModel` by name wait for it; a failure is reported
   * to the run (status().errors), never thrown.
   */
  trackBackground(work: Promise<unknown>, context: string): void {
    this.artifacts.trackBackground(work, context);
  }

  // ---- health -----------------------------------------------------------------------------------------------

  /** Records a background failure: counted in status(), emitted as 'error', printed once per context. */
  reportError(error: unknown, context: string): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errors.push({ context, message, at: new Date().toISOString() });
    if (this.errors.length > MAX_REMEMBERED_ERRORS) this.errors.shift();
    if (!this.reportedContexts.has(context)) {
      this.reportedContexts.add(context);
      this.warn(`${context} failed: ${message} (the run goes on; see run.status())`);
    }
    if (this.listenerCount('error') > 0) this.emit('error', { context, message, error });
  }

  status(): RunStatus {
    return {
      state: this.document.state,
      step: this.step,
      rowsWritten: this.recorder.rowsCommitted,
      queuedBytes: this.streams.reduce((sum, w) => sum + w.queuedBytes, 0),
      pendingMedia: this.recorder.pendingMediaCount,
      lastFlushAt: this.lastFlushAt,
      writeErrors: this.streams.reduce((sum, w) => sum + w.writeErrors, 0),
      errors: [...this.errors],
    };
  }

  // ---- flushing and finishing -------------------------------------------------------------------------------

  /** Resolves when everything logged so far, media and artifacts included, is on disk. */
  async flush(): Promise<void> {
    if (this.disabled) return;
    await this.artifacts.settle().catch((error) => this.reportError(error, 'settling artifacts'));
    await this.history.drain();
    await this.flushStreams(true);
  }

  private async flushStreams(saveAll = false): Promise<void> {
    await Promise.all(this.streams.map((w) => w.flush()));
    this.lastFlushAt = new Date();
    const now = Date.now();
    if (this.summary.dirty && (saveAll || now - this.lastSummarySave > 2000)) await this.saveSummary();
    if (this.documentDirty) await this.saveDocument();
    else await this.documentSave;
    await this.fileSaver.refresh();
  }

  /**
   * Finishes the run: commits the pending row, waits for media and artifacts, writes everything and the final
   * state (finished, or failed for a non-zero exit code). Calling it again returns the same promise.
   */
  finish(exitCode = 0): Promise<void> {
    if (this.finishing) return this.finishing;
    if (!Number.isInteger(exitCode)) throw new InvalidValueError('exitCode must be an integer', 'INVALID_ARGUMENT');
    this.finishing = this.finishNow(exitCode);
    return this.finishing;
  }

  private async finishNow(exitCode: number): Promise<void> {
    this.recorder.commit();
    this.recorder.closeIndexBlock();
    const state: RunState = exitCode === 0 ? 'finished' : 'failed';
    if (!this.disabled) {
      this.stopBackground();
      this.monitor?.sample();
      await this.artifacts.settle().catch((error) => this.reportError(error, 'finishing artifacts'));
      this.artifactsClosed = true;
      await this.gitDirtyCheck;
      await this.fileSaver.finish();
      await this.history.drain();
      this.setEndState(state, exitCode);
      // The index closes after history, whose last write appends the last index lines.
      const others = this.streams.filter((w) => w !== this.historyIndex);
      await Promise.all([...others.map((w) => w.close()), this.saveSummary(), this.saveDocument()]);
      await this.historyIndex.close();
      unbindFromProcess(this);
    } else this.setEndState(state, exitCode);
    this.ended = true;
    this.onFinishCallback(this);
    this.emit('finish', state, exitCode);
  }

  /** `await using run = await init()`: finishes the run when the block ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.finishing) return this.finishing;
    watchExitAfterDispose(this);
    await this.finish(0);
  }

  /** After `await using`: the block's error made the process exit non-zero, so the run failed after all. */
  onFailedExit(code: number): void {
    if (this.document.state !== 'finished' || this.disabled) return;
    this.setEndState('failed', code);
    this.saveDocumentSync();
  }

  /** Synchronous end for signal, uncaught-exception and exit handlers. */
  endSync(state: 'finished' | 'failed' | 'killed', exitCode: number): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.recorder.commit();
      this.recorder.closeIndexBlock();
    } catch {
      // never let a handler of a dying process throw
    }
    this.stopBackground();
    for (const writer of this.streams) writer.flushSync();
    try {
      atomicWriteJsonSync(join(this.dir, RUN_FILES.summary), this.summary.toJSON());
      atomicWriteJsonSync(join(this.dir, RUN_FILES.metrics), this.metricsJSON());
    } catch (error) {
      this.reportError(error, 'saving the summary');
    }
    this.setEndState(state, exitCode);
    this.saveDocumentSync();
    this.onFinishCallback(this);
  }

  private stopBackground(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.monitor?.stop();
    this.capture?.stop();
  }

  private setEndState(state: RunState, exitCode: number): void {
    const now = new Date().toISOString();
    this.document.state = state;
    this.document.exitCode = exitCode;
    this.document.finishedAt = now;
    this.document.updatedAt = now;
    this.document.runtimeSeconds = this.runtime();
    this.documentDirty = true;
  }

  // ---- persistence ------------------------------------------------------------------------------------------

  private runtime(): number {
    return this.runtimeOffset + (performance.now() - this.startedAt) / 1000;
  }

  private markDocumentDirty(): void {
    this.documentDirty = true;
  }

  private documentJSON(): RunDocument {
    this.document.config = this.config.toJSON();
    this.document.updatedAt = new Date().toISOString();
    if (!this.document.finishedAt) this.document.runtimeSeconds = this.runtime();
    return this.document;
  }

  private metricsJSON() {
    return { definitions: this.definitions.list(), ...this.summary.stateJSON() };
  }

  /** Saves run.json; saves never overlap, and each one writes the document as it is when it starts. */
  private saveDocument(): Promise<void> {
    if (this.disabled) return Promise.resolve();
    this.documentDirty = false;
    this.documentSave = this.documentSave.then(async () => {
      try {
        await atomicWriteJson(join(this.dir, RUN_FILES.run), this.documentJSON());
      } catch (error) {
        this.documentDirty = true;
        this.reportError(error, 'saving run.json');
      }
    });
    return this.documentSave;
  }

  private saveDocumentSync(): void {
    if (this.disabled) return;
    try {
      atomicWriteJsonSync(join(this.dir, RUN_FILES.run), this.documentJSON());
      this.documentDirty = false;
    } catch (error) {
      this.reportError(error, 'saving run.json');
    }
  }

  private async saveSummary(): Promise<void> {
    if (this.disabled) return;
    this.summary.dirty = false;
    this.lastSummarySave = Date.now();
    try {
      await Promise.all([
        atomicWriteJson(join(this.dir, RUN_FILES.summary), this.summary.toJSON()),
        atomicWriteJson(join(this.dir, RUN_FILES.metrics), this.metricsJSON()),
      ]);
    } catch (error) {
      this.summary.dirty = true;
      this.reportError(error, 'saving the summary');
    }
  }

  /** Writes run.json, summary and heartbeat for the first time; init awaits it. */
  async writeInitialFiles(): Promise<void> {
    if (this.disabled) return;
    await atomicWriteJson(join(this.dir, RUN_FILES.run), this.documentJSON());
    await this.writeHeartbeat(true);
  }

  private async writeHeartbeat(throwOnError = false): Promise<void> {
    const beat = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() });
    try {
      await writeFile(join(this.dir, RUN_FILES.heartbeat), beat);
    } catch (error) {
      if (throwOnError) throw error;
      this.reportError(error, 'writing the heartbeat');
    }
  }

  private writeSystemSample(sample: Record<string, number>): void {
    const runtime = Math.round(this.runtime() * 1e3) / 1e3;
    this.systemWriter.append(`${JSON.stringify({ _timestamp: Date.now() / 1000, _runtime: runtime, ...sample })}\n`);
  }

  // ---- guards -----------------------------------------------------------------------------------------------

  /** wandb's raise-if-finished check, on every public method that records something. */
  private guard(method: string): void {
    if (this.finishing !== undefined || this.ended) throw new RunFinishedError(this.path, method);
  }

  /** Artifact calls stay open while finish() waits for artifacts: background work (checkpoints) still logs. */
  private guardArtifacts(method: string): void {
    if (this.artifactsClosed || this.ended) throw new RunFinishedError(this.path, method);
  }

  private warn(message: string): void {
    if (this.settings.quiet) return;
    process.emitWarning(message, { code: 'RUNLOG' });
  }
}
