import type { RunArtifacts } from '../artifacts/runArtifacts.js';
import { InvalidValueError, RunFinishedError } from '../errors/runlogError.js';
import type { HistoryRecorder } from '../history/historyRecorder.js';
import type { OnlineLink } from '../online/onlineLink.js';
import type { FileSaver } from './fileSaver.js';
import { bindToProcess, type ProcessBoundRun, unbindFromProcess, watchExitAfterDispose } from './processHooks.js';
import { RunBackground } from './runBackground.js';
import type { RunFiles } from './runFiles.js';
import type { RunLock } from './runLock.js';
import type { RunSettings } from './runOptions.js';
import type { RunState } from './runState.js';
import type { RunStreams } from './runStreams.js';

/** The parts of a run whose end the lifecycle puts in order. */
export interface LifecycleParts {
  /** 'project/id', for errors. */
  path: string;
  disabled: boolean;
  recorder: HistoryRecorder;
  streams: RunStreams;
  files: RunFiles;
  settings: Required<RunSettings>;
  artifacts: RunArtifacts;
  fileSaver: FileSaver;
  /** The run folder's ownership lock: released once the end is recorded. */
  lock?: RunLock;
  reportError(error: unknown, context: string): void;
  /** A sweep trial's look for a stop request, on the flush timer (never in log()). */
  pollStopRequest?: () => void;
  /** Called once the run has ended: by finish (`sync` false) or by a dying process's handlers (`sync` true). */
  onEnd(end: { state: RunState; exitCode: number; sync: boolean }): void;
}

/**
 * How a run starts its background work, flushes and ends. A flush writes the streams, then the documents that
 * changed and the files saved with policy 'live'; `flush()` first waits for artifacts and media, and saves the
 * summary unthrottled. `finish` waits for everything in order — the pending row, the last system sample,
 * artifacts (background checkpoints may still log), saved files, rows with media — then records the final state
 * and closes the streams (history before its index) while the summary and run.json are saved. `endSync` does
 * what a dying process can: everything queued, media or not, and every document, synchronously. After either, the
 * recording methods throw RunFinishedError (wandb's raise-if-finished guard); artifact calls stay open until
 * finish has waited for artifacts.
 */
export class RunLifecycle implements ProcessBoundRun {
  private finishing: Promise<void> | undefined;
  private ended = false;
  private artifactsClosed = false;
  private readonly background: RunBackground;
  /** The exit code of a signal the program handled itself: however the run ends, it was killed. */
  private signalCode: number | undefined;
  /** An online run's syncer: finish waits for its upload (bounded), a dying process stops it. */
  private upload: OnlineLink | undefined;

  constructor(private readonly parts: LifecycleParts) {
    const { streams, files } = parts;
    this.background = new RunBackground(
      parts.settings,
      {
        flush: () => {
          void this.flushInBackground();
          parts.pollStopRequest?.();
        },
        heartbeat: () => void files.writeHeartbeat(),
        systemSample: (sample) => streams.appendSystemSample(sample),
        output: (text) => streams.appendOutput(text),
        gitDirty: (dirty) => files.recordGitDirty(dirty),
      },
      files.heartbeatPath,
    );
  }

  attachUpload(link: OnlineLink): void {
    this.upload = link;
  }

  /** Once finish() was called or the run ended. */
  get finished(): boolean {
    return this.finishing !== undefined || this.ended;
  }

  /** The finish in progress or done (undefined before finish(), and after an end by a signal). */
  get ending(): Promise<void> | undefined {
    return this.finishing;
  }

  /** Starts the background work and the process hooks; `gitRoot`: the repository to check for changes. */
  start(gitRoot: string | undefined): void {
    this.background.start(gitRoot);
    if (this.parts.settings.processHooks) bindToProcess(this);
  }

  /** Throws RunFinishedError for a recording method called once the run is finishing or ended. */
  guard(method: string): void {
    if (this.finishing !== undefined || this.ended) throw new RunFinishedError(this.parts.path, method);
  }

  /** The guard of artifact calls, which stay open while finish() waits for artifacts. */
  guardArtifacts(method: string): void {
    if (this.artifactsClosed || this.ended) throw new RunFinishedError(this.parts.path, method);
  }

  /** Everything logged so far, media and artifacts included, on disk. */
  async flush(): Promise<void> {
    if (this.parts.disabled) return;
    await this.parts.artifacts.settle().catch((error) => this.parts.reportError(error, 'settling artifacts'));
    await this.parts.streams.drain();
    await this.saveFiles(true);
  }

  /** The timer's flush: what is ready in the streams, then the documents that changed. */
  async flushInBackground(): Promise<void> {
    if (this.parts.disabled) return;
    await this.parts.streams.flush();
    await this.saveFiles(false);
  }

  private async saveFiles(always: boolean): Promise<void> {
    await this.parts.files.saveChanged(always);
    await this.parts.fileSaver.refresh();
  }

  /** Ends the run (finished, or failed for a non-zero code); called again, returns the same promise. */
  finish(exitCode: number): Promise<void> {
    if (this.finishing) return this.finishing;
    if (!Number.isInteger(exitCode)) throw new InvalidValueError('exitCode must be an integer', 'INVALID_ARGUMENT');
    this.finishing = this.finishNow(exitCode);
    return this.finishing;
  }

  /** `await using`: finishes, and marks the run failed after all if the process then exits non-zero. */
  dispose(): Promise<void> {
    if (this.finishing) return this.finishing;
    watchExitAfterDispose(this);
    return this.finish(0);
  }

  private async finishNow(requestedCode: number): Promise<void> {
    const { recorder, streams, files, artifacts, fileSaver } = this.parts;
    const background = this.background;
    recorder.end();
    const { state, exitCode } = this.trueEnd(requestedCode === 0 ? 'finished' : 'failed', requestedCode);
    if (!this.parts.disabled) {
      background.stop();
      background.sampleNow();
      await artifacts.settle().catch((error) => this.parts.reportError(error, 'finishing artifacts'));
      this.artifactsClosed = true;
      await background.settled();
      await fileSaver.finish();
      await streams.history.drain();
      files.recordEnd(state, exitCode);
      await Promise.all([streams.close(), files.saveSummary(), files.saveDocument()]);
      unbindFromProcess(this);
      // The files are complete: an online run sends the rest (bounded by settings.syncTimeoutMs).
      await this.upload?.finish().catch((error) => this.parts.reportError(error, 'online sync at finish'));
    } else files.recordEnd(state, exitCode);
    this.parts.lock?.release();
    this.ended = true;
    this.parts.onEnd({ state, exitCode, sync: false });
  }

  /** After `await using`: the block's error made the process exit non-zero, so the run failed after all. */
  onFailedExit(code: number): void {
    if (this.parts.files.state !== 'finished' || this.parts.disabled) return;
    this.parts.files.recordEnd('failed', code);
    this.parts.files.saveDocumentSync();
  }

  /**
   * How the run really ended: after a signal the program handled (a graceful shutdown), `killed` with the signal's
   * code, whatever code the process ends with; a run marked `preempting` that is stopped by a signal stays
   * `preempting` (a scheduler requeues and resumes it).
   */
  private trueEnd(state: RunState, exitCode: number): { state: RunState; exitCode: number } {
    const signalled = this.signalCode !== undefined || state === 'killed';
    const code = this.signalCode ?? exitCode;
    if (signalled && this.parts.files.state === 'preempting') return { state: 'preempting', exitCode: code };
    return signalled ? { state: 'killed', exitCode: code } : { state, exitCode };
  }

  /** A signal the program handles itself: the run stays open, and ends `killed` (see trueEnd). */
  noteSignal(exitCode: number): void {
    this.signalCode ??= exitCode;
  }

  /**
   * A signal or exception the program handles itself: the process may still die soon (its handler may exit), so
   * what is queued and the documents are written now, synchronously; the run stays open.
   */
  flushNowSync(): void {
    if (this.ended || this.parts.disabled) return;
    this.parts.streams.flushSync(true);
    this.parts.files.saveAllSync();
  }

  /** The synchronous end, for signal, uncaught-exception and exit handlers. */
  endSync(requested: 'finished' | 'failed' | 'killed', requestedCode: number): void {
    if (this.ended) return;
    this.ended = true;
    const { state, exitCode } = this.trueEnd(requested, requestedCode);
    const { recorder, streams, files } = this.parts;
    try {
      recorder.end();
    } catch {
      // never let a handler of a dying process throw
    }
    this.background.stop();
    this.upload?.stop();
    files.recordEnd(state, exitCode);
    if (!this.parts.disabled) {
      streams.flushSync();
      files.saveAllSync();
    }
    this.parts.lock?.release();
    this.parts.onEnd({ state, exitCode, sync: true });
  }
}
