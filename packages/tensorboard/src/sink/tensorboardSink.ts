import { join } from 'node:path';
import type { FlatHistoryRow, Run, RunState } from '@runlog/core';
import { eventFileName } from '../format/eventFileName.js';
import { EventFileWriter } from '../format/eventFileWriter.js';
import { imageSummaries } from '../images/imageSummaries.js';
import { runFolderName } from '../logdir/runFolderName.js';
import { HPARAMS_STATUS } from '../proto/fieldNumbers.js';
import { FlatRowEvents } from '../proto/flatRowEvents.js';
import { EncoderTarget, type ScalarForm } from '../values/encoderTarget.js';
import { hparamsFromConfig } from '../values/hparamsFromConfig.js';
import { visitStoredValue } from '../values/storedValue.js';
import { summaryScalars } from '../values/summaryScalars.js';
import type { SkipCounts } from '../values/summaryTarget.js';
import { CapturedMedia } from './capturedMedia.js';
import { type LiveMedia, visitLiveValue } from './liveValue.js';

export interface TensorboardSinkOptions {
  /** Scalars as float64 tensors (TensorBoard's current form, default) or float32 `simple_value`s. */
  scalars?: ScalarForm;
  /** The folder under the logdir; default the run's name (letters, digits, '.', '_', '-'; others become '_'). */
  folder?: string;
  /** How often written events reach the file (ms). Default 500, the run's own default flush interval. */
  flushIntervalMs?: number;
  /** Write as soon as this many bytes are pending. Default 256 KiB, as the run's streams. */
  flushBytes?: number;
}

/**
 * Mirrors a run into a TensorBoard event file as it is logged: every scalar, histogram, image and text of each
 * `run.log` call, the config as hparams and, at finish, summary values and how the run ended. Encoding is
 * synchronous and in memory (one Event per call); a timer appends to the file. Trouble writing is reported to
 * the run (`run.status().errors`), never thrown into the training loop.
 */
export class TensorboardSink {
  /** The event file. */
  readonly path: string;
  /** Values TensorBoard has no place for (video, tables...), by kind. */
  readonly skipped: SkipCounts;
  /** Resolves when the sink is closed (after the run finished) and everything is in the file. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly writer: EventFileWriter;
  private readonly target: EncoderTarget;
  private readonly timer: NodeJS.Timeout;
  private readonly pendingMedia = new Set<Promise<void>>();
  private readonly flushBytes: number;
  /** Calls of numbers only (nearly all of a loop's) as events laid out once per set of keys; none for simple_value. */
  private readonly rowEvents: FlatRowEvents | undefined;
  private readonly row: FlatHistoryRow = {
    step: 0,
    runtime: Number.NaN,
    timestamp: Number.NaN,
    length: 0,
    keys: [],
    values: new Float64Array(16),
  };
  private startWritten = false;
  private closing: Promise<void> | undefined;
  private readonly onLog = (data: Record<string, unknown>, step: number) => this.write(data, step);
  private readonly onFinish = (state: RunState) => void this.end(state);
  private readonly onExit = () => this.flushOnExit();

  constructor(
    private readonly run: Run,
    logdir: string,
    options: TensorboardSinkOptions = {},
  ) {
    this.path = join(logdir, options.folder ?? runFolderName(run.name), eventFileName());
    this.writer = new EventFileWriter(this.path);
    this.target = new EncoderTarget(this.writer.encoder, options.scalars);
    this.skipped = this.target.skipped;
    this.rowEvents = options.scalars === 'simple_value' ? undefined : new FlatRowEvents(this.writer.encoder);
    this.flushBytes = options.flushBytes ?? 256 * 1024;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    run.on('log', this.onLog);
    run.once('finish', this.onFinish);
    process.on('exit', this.onExit);
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 500);
    this.timer.unref();
  }

  private write(data: Record<string, unknown>, step: number): void {
    try {
      const encoder = this.writer.encoder;
      const time = Date.now() / 1000;
      if (!this.startWritten) this.writeSessionStart(time);
      if (this.writeFlat(data, step, time)) {
        this.writer.flushIfLarge(this.flushBytes);
        return;
      }
      this.rowEvents?.settle();
      encoder.beginEvent(time, step);
      let media: LiveMedia[] | undefined;
      for (const key in data) {
        const value = data[key];
        if (typeof value === 'number') this.target.scalar(key, value);
        else {
          media ??= [];
          visitLiveValue(this.target, key, value, media);
        }
      }
      encoder.endEvent();
      if (media !== undefined) for (const item of media) this.track(this.writeMedia(item, step));
      this.writer.flushIfLarge(this.flushBytes);
    } catch (error) {
      this.run.reportError(error, 'mirroring to TensorBoard');
    }
  }

  /** Writes a call of numbers only as one laid-out event; false (nothing written) for any other call. */
  private writeFlat(data: Record<string, unknown>, step: number, time: number): boolean {
    if (this.rowEvents === undefined) return false;
    const row = this.row;
    let length = 0;
    for (const key in data) {
      const value = data[key];
      if (typeof value !== 'number') return false;
      if (length === row.values.length) {
        const grown = new Float64Array(length * 2);
        grown.set(row.values);
        row.values = grown;
      }
      row.keys[length] = key;
      row.values[length++] = value;
    }
    row.length = length;
    row.step = step;
    row.timestamp = time;
    return this.rowEvents.write(row);
  }

  private writeSessionStart(time: number): void {
    this.startWritten = true;
    this.writer.encoder.sessionStart(time, {
      hparams: hparamsFromConfig(this.run.config.toJSON()),
      groupName: this.run.id,
      startTimeSecs: this.run.startTime.getTime() / 1000,
    });
  }

  /** Encodes a media value again (in memory) and writes what TensorBoard shows of it as an event of its own. */
  private async writeMedia(item: LiveMedia, step: number): Promise<void> {
    const captured = new CapturedMedia(this.run.dir, item.key, step);
    const ref = await captured.encode(item.value);
    const time = Date.now() / 1000;
    const encoder = this.writer.encoder;
    this.rowEvents?.settle();
    if (ref._type === 'image-file' || ref._type === 'image-list') {
      const refs = ref._type === 'image-file' ? [ref] : (ref.items as (typeof ref)[]);
      const summaries = await imageSummaries(item.key, refs, captured.load);
      encoder.beginEvent(time, step);
      for (const s of summaries) encoder.images(s.tag, s.width, s.height, s.encoded);
    } else {
      encoder.beginEvent(time, step);
      visitStoredValue(this.target, item.key, ref);
    }
    encoder.endEvent();
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error) => this.run.reportError(error, 'mirroring media to TensorBoard'));
    this.pendingMedia.add(tracked);
    void tracked.finally(() => this.pendingMedia.delete(tracked));
  }

  /** Appends the events encoded so far to the file. */
  async flush(): Promise<void> {
    try {
      await this.writer.flush();
    } catch (error) {
      this.run.reportError(error, 'writing TensorBoard events');
    }
  }

  private flushOnExit(): void {
    try {
      this.writer.flushSync();
    } catch {
      // the process is exiting: nothing left to report to
    }
  }

  /** The run finished: summary values, the session's end, then the file is closed once media is written. */
  private end(state: RunState): Promise<void> {
    if (this.closing) return this.closing;
    this.detach();
    const encoder = this.writer.encoder;
    const time = Date.now() / 1000;
    try {
      if (!this.startWritten) this.writeSessionStart(time);
      this.rowEvents?.settle(); // the last values written laid out are the encoder's to compare the summary with
      const extra = summaryScalars(this.run.summary.toJSON(), (tag) => encoder.lastScalar(tag));
      if (extra.length > 0) {
        encoder.beginEvent(time, Math.max(0, this.run.step - 1));
        for (const [tag, value] of extra) this.target.scalar(tag, value);
        encoder.endEvent();
      }
      const status = state === 'finished' ? HPARAMS_STATUS.success : HPARAMS_STATUS.failure;
      encoder.sessionEnd(time, { status, endTimeSecs: time });
      // Written before finish() returns to its caller when no media is still encoding.
      if (this.pendingMedia.size === 0) this.writer.closeSync();
    } catch (error) {
      this.run.reportError(error, 'writing TensorBoard events');
    }
    return this.closeAfterMedia();
  }

  /** Stops mirroring and closes the file now (the run goes on without it). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.detach();
    return this.closeAfterMedia();
  }

  /** Closes the file once the media still encoding is written. */
  private closeAfterMedia(): Promise<void> {
    this.closing = Promise.all(this.pendingMedia)
      .then(() => this.writer.close())
      .catch((error) => this.run.reportError(error, 'writing TensorBoard events'))
      .finally(() => this.resolveDone());
    return this.closing;
  }

  private detach(): void {
    this.run.off('log', this.onLog);
    this.run.off('finish', this.onFinish);
    process.off('exit', this.onExit);
    clearInterval(this.timer);
  }
}

/**
 * Mirrors `run` into `<logdir>/<run name>/events.out.tfevents.*` as it is logged.
 * @example
 * const run = await init({ project: 'digits' });
 * tensorboardSink(run, './tb'); // then: tensorboard --logdir ./tb
 * run.log({ loss: 0.3 });
 */
export function tensorboardSink(run: Run, logdir: string, options?: TensorboardSinkOptions): TensorboardSink {
  return new TensorboardSink(run, logdir, options);
}
