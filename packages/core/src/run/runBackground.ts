import { ConsoleCapture } from '../system/consoleCapture.js';
import { SystemMonitor } from '../system/systemMonitor.js';
import { gitDirty } from './gitInfo.js';
import { startHeartbeat, stopHeartbeat } from './heartbeatThread.js';
import type { RunSettings } from './runOptions.js';

/**
 * `git status` costs a process spawn: it runs this long after start, off the start-up path (a run shorter than
 * this records no dirty flag).
 */
export const GIT_DIRTY_CHECK_DELAY_MS = 1000;
/** When the heartbeat moves to its own thread (see RunBackground.startHeartbeat). */
export const HEARTBEAT_THREAD_DELAY_MS = 2000;

/** What the background work of a run does, each provided by one of the run's parts. */
export interface BackgroundTasks {
  /** Every `flushIntervalMs`. */
  flush(): void;
  /** Every `heartbeatIntervalMs`. */
  heartbeat(): void;
  systemSample(sample: Record<string, number>): void;
  output(text: string): void;
  /** The working tree's dirty flag, once known. */
  gitDirty(dirty: boolean): void;
}

/**
 * A run's background work: the flush and heartbeat timers, the system monitor, console capture and the delayed
 * `git status` check. None of its timers keeps the process alive; `stop` ends all of it.
 */
export class RunBackground {
  private timers: NodeJS.Timeout[] = [];
  private monitor: SystemMonitor | undefined;
  private capture: ConsoleCapture | undefined;
  private gitCheck: Promise<void> | undefined;

  private heartbeatFile: string | undefined;

  /** `heartbeatPath`: the file the heartbeat thread rewrites (without it, `tasks.heartbeat` runs on a timer only). */
  constructor(
    private readonly settings: Required<RunSettings>,
    private readonly tasks: BackgroundTasks,
    private readonly heartbeatPath?: string,
  ) {}

  /** Starts everything the settings ask for; `gitRoot`: the repository to check for uncommitted changes. */
  start(gitRoot: string | undefined): void {
    const s = this.settings;
    this.every(s.flushIntervalMs, () => this.tasks.flush());
    this.startHeartbeat(s.heartbeatIntervalMs);
    if (s.systemMetrics) {
      this.monitor = new SystemMonitor(s.systemMetricsIntervalMs, (sample) => this.tasks.systemSample(sample));
      this.monitor.start();
    }
    if (s.console) {
      this.capture = new ConsoleCapture((text) => this.tasks.output(text));
      if (!this.capture.start()) this.capture = undefined;
    }
    if (gitRoot) {
      const timer = setTimeout(() => {
        this.gitCheck = gitDirty(gitRoot).then((dirty) => {
          if (dirty !== undefined) this.tasks.gitDirty(dirty);
        });
      }, GIT_DIRTY_CHECK_DELAY_MS);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Stops the timers, the monitor and the capture. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    if (this.heartbeatFile !== undefined) stopHeartbeat(this.heartbeatFile);
    this.heartbeatFile = undefined;
    this.monitor?.stop();
    this.capture?.stop();
  }

  /** Takes one last system sample now (at finish). */
  sampleNow(): void {
    this.monitor?.sample();
  }

  /** Resolves once a `git status` check under way has recorded its answer. */
  async settled(): Promise<void> {
    await this.gitCheck;
  }

  private every(ms: number, task: () => void): NodeJS.Timeout {
    const timer = setInterval(task, ms);
    timer.unref();
    this.timers.push(timer);
    return timer;
  }

  /**
   * The heartbeat beats on the main thread's timer at first, then on a thread of its own, so a busy training
   * thread still reads as alive. The thread (a few tens of ms of CPU to boot) starts HEARTBEAT_THREAD_DELAY_MS
   * after start, the first time the event loop gets control then: a short run never pays for it.
   */
  private startHeartbeat(intervalMs: number): void {
    const onMainThread = this.every(intervalMs, () => this.tasks.heartbeat());
    const path = this.heartbeatPath;
    if (path === undefined) return;
    const timer = setTimeout(() => {
      if (!startHeartbeat(path, intervalMs)) return; // no thread: the timer goes on beating
      this.heartbeatFile = path;
      clearInterval(onMainThread);
    }, HEARTBEAT_THREAD_DELAY_MS);
    timer.unref();
    this.timers.push(timer);
  }
}
