import { join } from 'node:path';
import { RunArtifacts } from '../artifacts/runArtifacts.js';
import { HistoryRecorder, type LogOptions } from '../history/historyRecorder.js';
import { MediaFiles } from '../history/mediaFiles.js';
import { MediaMembers } from '../history/mediaMembers.js';
import { encodeSummaryValue } from '../history/rowLimits.js';
import { HookBus } from '../hooks/hookBus.js';
import type { RunLike } from '../hooks/runLike.js';
import type { OnlineLink } from '../online/onlineLink.js';
import type { OnlineRunSettings } from '../online/startOnlineSync.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { defineMetric } from '../summary/defineMetric.js';
import type { Metric } from '../summary/metric.js';
import { type DefineMetricOptions, MetricDefinitions } from '../summary/metricDefinition.js';
import { Summary } from '../summary/summary.js';
import { type AlertOptions, Alerts, alertLine } from './alerts.js';
import { Config } from './config.js';
import { checkSave, FileSaver, type SaveOptions } from './fileSaver.js';
import type { RunDocument } from './runDocument.js';
import { RunFiles } from './runFiles.js';
import { RunHealth, type RunStatus } from './runHealth.js';
import { RunLifecycle } from './runLifecycle.js';
import type { RunParts, RunSettings } from './runOptions.js';
import type { RunState } from './runState.js';
import { RunStreams } from './runStreams.js';
import { RunT9kMethods } from './runT9kMethods.js';
import { StopRequest } from './stopRequest.js';
import { T9kView } from './t9kView.js';

/**
 * One run: a thin facade over its parts — the history recorder (log -> rows), the summary and metric
 * definitions, config, the streams (history and its index, system, output, alerts), the run files (run.json,
 * summary, metrics, heartbeat), background work (timers, system monitor, console capture), artifacts — and the
 * lifecycle that orders them. Create it with `init()` (or t9k's `createRun()`).
 * @example
 * const run = await init({ project: 'digits', config: { lr: 1e-3 } });
 * for (let epoch = 0; epoch < 3; epoch++) run.log({ loss: 1 / (epoch + 1), epoch });
 * await run.finish();
 */
export class Run extends RunT9kMethods implements RunLike, AsyncDisposable {
  readonly id: string;
  readonly project: string;
  /** 'project/id'. */
  readonly path: string;
  /** The run's folder (absolute). */
  readonly dir: string;
  /** The store root (absolute). */
  readonly storeDir: string;
  readonly resumed: boolean;
  readonly config: Config;
  readonly summary: Summary;
  readonly hooks: HookBus = new HookBus(this);

  private readonly document: RunDocument;
  private readonly settings: Required<RunSettings>;
  private readonly definitions = new MetricDefinitions();
  private readonly streams: RunStreams;
  private readonly files: RunFiles;
  private readonly recorder: HistoryRecorder;
  private readonly artifacts: RunArtifacts;
  private readonly fileSaver: FileSaver;
  private readonly alerts = new Alerts();
  private readonly health: RunHealth;
  private readonly t9k: T9kView;
  private readonly lifecycle: RunLifecycle;
  private readonly stopRequest: StopRequest;

  constructor(parts: RunParts) {
    super(parts);
    const { document, settings, stored } = parts;
    this.document = document;
    this.settings = settings;
    this.id = document.id;
    this.project = document.project;
    this.path = `${document.project}/${document.id}`;
    this.dir = parts.dir;
    this.storeDir = parts.storeDir;
    this.resumed = parts.resumed;

    this.health = new RunHealth({
      warn: (message) => this.warn(message),
      emit: (event) => this.listenerCount('error') > 0 && this.emit('error', event),
    });
    // wandb's raise-if-finished check, on every public method that records something.
    const guard = (method: string) => this.lifecycle.guard(method);
    const reportError = (error: unknown, context: string) => this.reportError(error, context);
    // Seconds since the run started, resumes included: rows' _runtime and run.json's runtimeSeconds.
    const [startedAt, runtimeOffset] = [performance.now(), stored?.runtimeSeconds ?? 0];
    const runtime = () => runtimeOffset + (performance.now() - startedAt) / 1000;
    const shared = { dir: this.dir, runtime, reportError };
    this.config = new Config(() => this.files.markDocumentChanged(), guard);
    this.config.restore(document.config);
    const onManualChange = (key: string, value: unknown) => this.emit('summary', key, value);
    this.summary = new Summary(this.definitions, { encodeValue: encodeSummaryValue, onManualChange, guard });
    for (const definition of stored?.metrics?.definitions ?? []) this.definitions.define(definition);
    if (stored?.metrics) this.summary.restore(stored.metrics);

    const { flushBytes, maxQueuedBytes } = settings;
    this.streams = new RunStreams({ ...shared, flushBytes, maxQueuedBytes, discard: this.disabled });
    const { config, summary, definitions } = this;
    this.files = new RunFiles({ ...shared, document, config, summary, definitions });
    this.recorder = new HistoryRecorder({
      writer: this.streams.history,
      summary,
      media: new MediaMembers(new MediaFiles(this.dir), summary, reportError),
      firstStep: stored?.nextStep ?? 0,
      warn: (message) => this.warn(message),
    });
    this.artifacts = new RunArtifacts({
      storeDir: this.storeDir,
      project: this.project,
      runId: this.id,
      runDir: this.dir,
      group: document.group,
      emit: (_event, payload) => this.emit('artifact', payload),
      reportError,
    });
    this.fileSaver = new FileSaver(join(this.dir, RUN_FILES.files), reportError, (m) => this.warn(m));
    this.stopRequest = new StopRequest(join(this.dir, RUN_FILES.stopRequest));
    // t9k's reads come from the files: they wait for what is logged (or for the finish under way) to be written.
    const flush = () => (this.finished ? (this.lifecycle.ending ?? Promise.resolve()).catch(() => {}) : this.flush());
    this.t9k = new T9kView({
      path: this.path,
      dir: this.dir,
      document,
      config,
      summary,
      definitions,
      flush,
      log: (row) => this.log(row),
    });
    // A sweep trial also looks for a stop request (stop-request.json) on the flush timer, never in log().
    const pollStopRequest = document.sweepId ? () => void this.stopRequest.poll() : undefined;
    this.lifecycle = new RunLifecycle({
      path: this.path,
      disabled: this.disabled,
      recorder: this.recorder,
      streams: this.streams,
      files: this.files,
      settings,
      artifacts: this.artifacts,
      fileSaver: this.fileSaver,
      lock: parts.lock,
      reportError,
      pollStopRequest,
      onEnd: ({ state, exitCode, sync }) => {
        parts.onFinish();
        if (!sync) this.emit('finish', state, exitCode);
      },
    });
  }

  /** Starts timers, capture and process hooks; init calls it once the folder exists. */
  start(): void {
    if (this.disabled) return;
    this.lifecycle.start(this.document.metadata.git?.root);
  }

  // ---- identity ---------------------------------------------------------------------------------------------

  get name(): string {
    return this.document.name;
  }
  set name(name: string) {
    this.lifecycle.guard('name');
    this.files.setName(name);
  }
  get tags(): readonly string[] {
    return this.document.tags;
  }
  set tags(tags: readonly string[]) {
    this.lifecycle.guard('tags');
    this.files.setTags(tags);
  }
  get notes(): string {
    return this.document.notes;
  }
  set notes(notes: string) {
    this.lifecycle.guard('notes');
    this.files.setNotes(notes);
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
    return this.lifecycle.finished;
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
    this.lifecycle.guard('log');
    const step = this.recorder.step;
    const written = this.recorder.log(data, options);
    if (written && this.listenerCount('log') > 0) this.emit('log', data, options?.step ?? step);
  }

  /**
   * Customises how a metric is summarised and charted, as wandb's define_metric: names may be globs ('val/*') or
   * key paths ('val.loss'); a second definition merges with the first unless `overwrite: true`.
   * @example run.defineMetric('val/loss', { summary: 'min,max', stepMetric: 'epoch' });
   */
  defineMetric(name: string, options: DefineMetricOptions = {}): Metric {
    this.lifecycle.guard('defineMetric');
    return defineMetric(this.definitions, this.summary, name, options);
  }

  /** Definitions made with defineMetric, for readers and charts. */
  metricDefinitions() {
    return this.definitions.list();
  }

  /**
   * Raises an alert: recorded in alerts.jsonl and emitted as 'alert'. The same title again within
   * `waitDurationMs` (default 60 s) is suppressed. Returns whether it was recorded.
   */
  alert(alert: AlertOptions): boolean {
    this.lifecycle.guard('alert');
    const raised = this.alerts.raise(alert, this.step);
    if (raised === undefined) return false;
    this.streams.appendAlert(alertLine(raised));
    this.emit('alert', raised);
    return true;
  }

  /**
   * wandb's save(): copies the files matching `glob` (a path; `basePath` a prefix of it) into files/ by policy:
   * 'live' (default) now and whenever they change, 'now' once, 'end' at finish. Resolves to the copies' paths.
   */
  save(glob: string, options: SaveOptions = {}): Promise<string[]> {
    this.lifecycle.guard('save');
    const { spec, policy } = checkSave(glob, options);
    return this.disabled ? Promise.resolve([]) : this.fileSaver.add(spec, policy);
  }

  /** Marks the run as being preempted (a scheduler will stop it and resume it later). */
  markPreempting(): void {
    this.lifecycle.guard('markPreempting');
    this.files.recordPreempting();
    void this.lifecycle.flushInBackground();
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
    this.health.report(error, context);
  }

  status(): RunStatus {
    return {
      state: this.document.state,
      step: this.step,
      rowsWritten: this.streams.history.rowsOnDisk,
      droppedRows: this.streams.history.rowsDropped,
      queuedBytes: this.streams.queuedBytes,
      pendingMedia: this.recorder.pendingMedia,
      lastFlushAt: this.streams.lastFlushAt,
      writeErrors: this.streams.writeErrors,
      errors: this.health.list(),
      ...(this.onlineLink ? { sync: this.onlineLink.status() } : {}),
    };
  }

  protected attachUpload(link: OnlineLink): void {
    this.lifecycle.attachUpload(link);
  }

  protected onlineSettings(): OnlineRunSettings {
    const { syncTimeoutMs, syncIntervalMs, quiet } = this.settings;
    return { syncTimeoutMs, syncIntervalMs, quiet, rowsOnDisk: () => this.streams.history.rowsOnDisk };
  }

  // ---- flushing and finishing -------------------------------------------------------------------------------

  /** Resolves when everything logged so far, media and artifacts included, is on disk. */
  flush(): Promise<void> {
    return this.lifecycle.flush();
  }

  /**
   * Finishes the run: commits the pending row, waits for media and artifacts, writes everything and the final
   * state (finished, or failed for a non-zero exit code). Calling it again returns the same promise.
   */
  finish(exitCode = 0): Promise<void> {
    return this.lifecycle.finish(exitCode);
  }

  /** `await using run = await init()`: finishes the run when the block ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.lifecycle.dispose();
  }

  /** After `await using`: the block's error made the process exit non-zero, so the run failed after all. */
  onFailedExit(code: number): void {
    this.lifecycle.onFailedExit(code);
  }

  /** Synchronous end for signal, uncaught-exception and exit handlers. */
  endSync(state: 'finished' | 'failed' | 'killed', exitCode: number): void {
    this.lifecycle.endSync(state, exitCode);
  }

  /** Writes run.json and the heartbeat for the first time; init awaits it. */
  writeInitialFiles(): Promise<void> {
    return this.disabled ? Promise.resolve() : this.files.writeInitial();
  }

  // ---- guards -----------------------------------------------------------------------------------------------

  /** The t9k view (t9kView.ts), after the finished guard for a `method` that records something. */
  protected t9kView(method?: string): T9kView {
    if (method !== undefined) this.lifecycle.guard(method);
    return this.t9k;
  }

  /** The artifacts, for a call that may still log or use one (see RunLifecycle.guardArtifacts). */
  protected openArtifacts(method: string): RunArtifacts {
    this.lifecycle.guardArtifacts(method);
    return this.artifacts;
  }

  private warn(message: string): void {
    if (this.settings.quiet) return;
    process.emitWarning(message, { code: 'RUNLOG' });
  }
}
