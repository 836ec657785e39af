import { join } from 'node:path';
import { AppendWriter } from '../history/appendWriter.js';
import { appendWriterOptions, HistoryWriter, type StreamOptions } from '../history/historyWriter.js';
import { RUN_FILES } from '../storage/storePaths.js';

/**
 * The run's append-only streams (docs/FORMAT.md): history with its index (owned by the history writer),
 * system.jsonl, output.log and alerts.jsonl. Appending never blocks; a background flush writes each stream, and
 * a failed write keeps its bytes queued for the next one. Flushes write history before its index, and close it
 * last, because history's last write appends the last index lines.
 */
export class RunStreams {
  readonly history: HistoryWriter;
  private readonly system: AppendWriter;
  private readonly output: AppendWriter;
  private readonly alerts: AppendWriter;
  private readonly others: readonly AppendWriter[];
  private lastFlush: Date | undefined;

  constructor(private readonly options: StreamOptions) {
    const stream = (file: string) => new AppendWriter(join(options.dir, file), appendWriterOptions(options, file));
    this.history = new HistoryWriter(options);
    this.system = stream(RUN_FILES.system);
    this.output = stream(RUN_FILES.output);
    this.alerts = stream(RUN_FILES.alerts);
    this.others = [this.system, this.output, this.alerts];
  }

  /** A system-metrics sample as a system.jsonl row, stamped with the time and the run's runtime. */
  appendSystemSample(sample: Record<string, number>): void {
    const runtime = Math.round(this.options.runtime() * 1e3) / 1e3;
    this.system.append(`${JSON.stringify({ _timestamp: Date.now() / 1000, _runtime: runtime, ...sample })}\n`);
  }

  /** Captured console text, as it came. */
  appendOutput(text: string): void {
    this.output.append(text);
  }

  /** A line of alerts.jsonl. */
  appendAlert(line: string): void {
    this.alerts.append(line);
  }

  /** When a flush of every stream last ended. */
  get lastFlushAt(): Date | undefined {
    return this.lastFlush;
  }

  get queuedBytes(): number {
    return this.others.reduce((sum, w) => sum + w.queuedBytes, this.history.queuedBytes);
  }

  get writeErrors(): number {
    return this.others.reduce((sum, w) => sum + w.writeErrors, this.history.writeErrors);
  }

  /** Writes what is ready in every stream (rows with media still encoding wait for the next flush). */
  async flush(): Promise<void> {
    await Promise.all([this.history.flush(), ...this.others.map((w) => w.flush())]);
    this.lastFlush = new Date();
  }

  /** Waits for the media of every logged row, then flushes every stream. */
  async drain(): Promise<void> {
    await this.history.drain();
    await this.flush();
  }

  /**
   * Writes everything now, synchronously (rows with media still encoding, without it): for dying processes. With
   * `keepDeferred`, for a process that goes on, rows waiting for media keep waiting.
   */
  flushSync(keepDeferred = false): void {
    this.history.flushSync(keepDeferred);
    for (const writer of this.others) writer.flushSync(keepDeferred);
  }

  /** Writes everything, media included, and closes every stream. */
  async close(): Promise<void> {
    await Promise.all([this.history.close(), ...this.others.map((w) => w.close())]);
  }
}
