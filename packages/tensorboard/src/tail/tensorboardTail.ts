import { relative, resolve } from 'node:path';
import type { Run } from '@runlog/core';
import { EventSource } from '../import/eventSource.js';
import { addStats, emptyStats, type ImportStats } from '../import/importStats.js';
import { eventFolders } from '../import/runFolders.js';
import { StepRows } from '../import/stepRows.js';

export interface SyncTensorboardOptions {
  /** How often the logdir is read (ms). Default 1000. */
  pollIntervalMs?: number;
  /**
   * How long a step's row waits for values of the same step from other event files (train/ and val/ are written
   * by two writers) before it is logged anyway (ms). Default 3000.
   */
  holdMs?: number;
}

/** What the tail has done so far. */
export interface TailStats extends ImportStats {
  /** History rows logged into the run. */
  rows: number;
  /** Values that arrived for a step the run had already passed: dropped (runlog's steps only move forward). */
  late: number;
}

type Finish = Run['finish'];

/**
 * Tails a TensorBoard logdir into a live run (wandb's `sync_tensorboard`): every poll reads what the logdir's
 * event files gained, and logs their scalars, histograms, images and text at their steps, with keys prefixed by
 * the subfolder (`train/epoch_loss`, `val/epoch_loss` from tf.node.tensorBoard's two writers). A step's row is
 * logged once every file has moved past it, or after `holdMs`; `run.finish()` waits for a last read first.
 */
export class TensorboardTail {
  private rowsLogged = 0;
  private lateValues = 0;
  private readonly logdir: string;
  private readonly sources = new Map<string, EventSource>();
  /** The largest step each source has given a value for. */
  private readonly lastSteps = new Map<EventSource, number>();
  private readonly rows = new StepRows();
  private readonly firstSeen = new Map<number, number>();
  private readonly holdMs: number;
  private readonly timer: NodeJS.Timeout;
  private polling: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  private readonly originalFinish: Finish;
  private readonly wrappedFinish: Finish;

  constructor(
    private readonly run: Run,
    logdir: string,
    options: SyncTensorboardOptions = {},
  ) {
    this.logdir = resolve(logdir);
    this.holdMs = options.holdMs ?? 3000;
    this.timer = setInterval(() => void this.poll(), options.pollIntervalMs ?? 1000);
    this.timer.unref();
    // finish() reads the logdir one last time first (instance-level wrap, undone by stop()).
    this.originalFinish = run.finish;
    this.wrappedFinish = (exitCode?: number) => this.stop().then(() => this.originalFinish.call(run, exitCode));
    run.finish = this.wrappedFinish;
    run.once('finish', () => void this.stop());
  }

  /** What the tail has read and logged so far. */
  get stats(): TailStats {
    const stats = emptyStats();
    for (const source of this.sources.values()) addStats(stats, source.stats);
    return { ...stats, rows: this.rowsLogged, late: this.lateValues };
  }

  /** Reads what the logdir's event files gained and logs the rows that are ready. */
  poll(): Promise<void> {
    this.polling = this.polling
      .then(() => this.readOnce(false))
      .catch((error) => {
        this.run.reportError(error, 'syncing TensorBoard events');
      });
    return this.polling;
  }

  private async readOnce(final: boolean): Promise<void> {
    for (const folder of await eventFolders(this.logdir)) {
      if (this.sources.has(folder)) continue;
      const path = relative(this.logdir, folder).split('\\').join('/');
      this.sources.set(folder, new EventSource(folder, path === '' ? '' : `${path}/`));
    }
    const now = Date.now();
    for (const source of this.sources.values()) {
      await source.read(
        {
          value: (step, key, value) => {
            this.rows.set(step, key, value);
            if (!this.firstSeen.has(step)) this.firstSeen.set(step, now);
            this.lastSteps.set(source, Math.max(this.lastSteps.get(source) ?? -1, step));
          },
          purge: (step, matches) => this.rows.purge(step, matches),
          hparams: (data) => {
            if (data.sessionStartInfo && !this.run.finished)
              this.run.config.update(data.sessionStartInfo.hparams, { allowValChange: true });
          },
        },
        { final },
      );
    }
    this.release(final ? Number.POSITIVE_INFINITY : this.readyBefore(now));
  }

  /** Rows at steps below this are ready: every source moved past them, or they waited `holdMs`. */
  private readyBefore(now: number): number {
    let ready = Number.POSITIVE_INFINITY;
    for (const step of this.lastSteps.values()) ready = Math.min(ready, step);
    if (this.lastSteps.size === 0) ready = 0;
    for (const [step, seen] of this.firstSeen) if (now - seen >= this.holdMs) ready = Math.max(ready, step + 1);
    return ready;
  }

  private release(before: number): void {
    for (const [step, row] of this.rows.take(before)) {
      this.firstSeen.delete(step);
      if (this.run.finished) return;
      if (step < this.run.step) {
        this.lateValues += Object.keys(row).length;
        continue;
      }
      try {
        this.run.log(row, { step });
        this.rowsLogged++;
      } catch (error) {
        this.run.reportError(error, 'syncing TensorBoard events');
      }
    }
  }

  /** Stops tailing after a last read that logs every row left (finish() calls it). */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    clearInterval(this.timer);
    if (this.run.finish === this.wrappedFinish) this.run.finish = this.originalFinish;
    this.stopping = this.polling
      .then(() => (this.run.finished ? undefined : this.readOnce(true)))
      .catch((error) => this.run.reportError(error, 'syncing TensorBoard events'));
    return this.stopping;
  }
}

/**
 * Tails `logdir` into `run` while it lives (wandb's sync_tensorboard): a `tf.node.tensorBoard` callback's output
 * lands in the run's history as it is written.
 * @example
 * const run = await init({ project: 'mnist' });
 * syncTensorboard(run, './logs');
 * await model.fit(xs, ys, { epochs: 5, callbacks: tf.node.tensorBoard('./logs') });
 * await run.finish(); // reads the logdir one last time first
 */
export function syncTensorboard(run: Run, logdir: string, options?: SyncTensorboardOptions): TensorboardTail {
  return new TensorboardTail(run, logdir, options);
}
