import { InvalidValueError } from '../errors/runlogError.js';
import type { MediaRef, MediaValue } from '../media/mediaProtocol.js';
import type { KeyRecord, Summary } from '../summary/summary.js';
import type { AppendWriter, DeferredLine } from './appendWriter.js';
import { BlockIndex, type BlockKeyStats } from './blockIndex.js';
import type { ByteBuilder } from './byteBuilder.js';
import type { MediaFiles } from './mediaFiles.js';
import { RowEnd } from './rowEnd.js';
import { asMediaSlot, checkKey, encodeValue, type MediaSlotValue, numberFragment } from './valueEncoder.js';

const RESERVED_KEYS = new Set(['_step', '_runtime', '_timestamp', '_type']);
const STEP_OPEN = Buffer.from('{"_step":');
// Faster than Object.hasOwn inside for-in: V8 knows keys from the enumeration are own.
const isOwnKey = Object.prototype.hasOwnProperty;

export interface LogOptions {
  /** The step this data belongs to; defaults to the run's current step. Smaller than the current step: dropped. */
  step?: number;
  /** true: write the row now; false: keep accumulating. Default true without `step`, false with it. */
  commit?: boolean;
}

export interface RecorderHost {
  writer: AppendWriter;
  summary: Summary;
  media: MediaFiles;
  /** Seconds since the run started, resumes included. */
  runtime(): number;
  reportError(error: unknown, context: string): void;
  warn(message: string): void;
}

interface PendingMedia {
  record: KeyRecord;
  value: MediaSlotValue;
}

/**
 * Turns `log()` calls into history rows with wandb's step rules: an implicit step that increments on each
 * commit, `commit: false` accumulating into the current row, an explicit larger step committing the pending
 * row first, a smaller step warned about (once per set of keys) and dropped. Values are validated and
 * serialised here, on the caller's thread; a whole call is rejected if any of its values is invalid.
 */
export class HistoryRecorder {
  step = 0;
  /** Rows written since the run (or this resume) started. */
  rowsCommitted = 0;
  pendingMediaCount = 0;
  private readonly records = new Map<string, KeyRecord>();
  // The pending row (a `commit: false` or explicit-step call): its keys, and for each either a number or the
  // JSON text of another value.
  private pendingRecords: KeyRecord[] = [];
  private pendingFragments: (string | undefined)[] = [];
  private pendingNumbers: (number | undefined)[] = [];
  private pendingMedia: PendingMedia[] = [];
  private readonly index = new BlockIndex();
  private readonly warnedPatterns = new Set<string>();
  /** The keys of the previous call, in order, and their records: a loop logging the same keys skips the lookups. */
  private keysSeen: string[] = [];
  private recordsSeen: KeyRecord[] = [];
  // Scratch space for one call, reused to keep log() allocation-free.
  private scratchRecords: KeyRecord[] = [];
  private scratchValues: unknown[] = [];
  /** A value's JSON text; undefined for a number (formatted only where it is written). */
  private scratchFragments: (string | undefined)[] = [];

  private readonly rowEnd: RowEnd;

  constructor(private readonly host: RecorderHost) {
    this.rowEnd = new RowEnd(() => host.runtime());
  }

  get hasPending(): boolean {
    return this.pendingRecords.length > 0 || this.pendingMedia.length > 0;
  }

  private recordFor(key: string): KeyRecord {
    let record = this.records.get(key);
    if (record === undefined) {
      checkKey(key, '');
      if (RESERVED_KEYS.has(key)) {
        throw new InvalidValueError(`key "${key}" is reserved for runlog's own columns: rename it`, 'INVALID_KEY');
      }
      record = this.host.summary.record(key);
      record.blockSlot = BlockIndex.slot(key);
      this.records.set(key, record);
    }
    return record;
  }

  log(data: Record<string, unknown>, options?: LogOptions): boolean {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new InvalidValueError('log() takes an object of key -> value, like log({ loss: 0.3 })', 'INVALID_ARGUMENT');
    }
    const step = options?.step;
    const commitOption = options?.commit;
    if (step !== undefined && (!Number.isInteger(step) || step < 0)) {
      throw new InvalidValueError(`step must be a non-negative integer, got ${step}`, 'INVALID_ARGUMENT');
    }
    if (commitOption !== undefined && typeof commitOption !== 'boolean') {
      throw new InvalidValueError(`commit must be true or false, got ${String(commitOption)}`, 'INVALID_ARGUMENT');
    }

    // Pass 1: validate and serialise everything, so an invalid value rejects the whole call.
    const records = this.scratchRecords;
    const fragments = this.scratchFragments;
    const values = this.scratchValues;
    let count = 0;
    let position = 0;
    let media: PendingMedia[] | undefined;
    for (const key in data) {
      if (!isOwnKey.call(data, key)) continue;
      let record: KeyRecord;
      if (this.keysSeen[position] === key) record = this.recordsSeen[position];
      else {
        record = this.recordFor(key);
        this.keysSeen[position] = key;
        this.recordsSeen[position] = record;
      }
      position++;
      const value = data[key];
      let fragment: string | undefined; // stays undefined for a number: always valid, formatted where written
      if (typeof value !== 'number') {
        const slot = typeof value === 'object' && value !== null ? asMediaSlot(value) : undefined;
        if (slot !== undefined) {
          media ??= [];
          media.push({ record, value: slot });
          continue;
        }
        fragment = encodeValue(value, key);
        if (fragment === undefined) continue; // an undefined value: left out, as in JSON
      }
      records[count] = record;
      fragments[count] = fragment;
      values[count] = value;
      count++;
    }
    if (Object.getOwnPropertySymbols(data).length > 0) {
      throw new InvalidValueError('log() keys must be strings; this object has symbol keys', 'INVALID_KEY');
    }

    // Step rules.
    if (step !== undefined && step < this.step) {
      this.warnDropped(data, step);
      return false;
    }
    if (step !== undefined && step > this.step) {
      if (this.hasPending) this.commit();
      this.step = step;
    }
    const commitNow = step === undefined ? commitOption !== false : commitOption === true;

    // Pass 2: summary and the pending row.
    const summary = this.host.summary;
    const accumulate = this.hasPending || media !== undefined || !commitNow;
    if (!accumulate) {
      this.writeRow(data, count);
      return true;
    }
    for (let i = 0; i < count; i++) {
      const record = records[i];
      const value = values[i];
      if (typeof value === 'number') {
        summary.observeNumber(record, value);
        this.setPending(record, undefined, value);
      } else {
        const fragment = fragments[i] as string;
        summary.observeJson(record, fragment);
        this.setPending(record, fragment, undefined);
      }
    }
    if (media) for (const m of media) this.setPendingMedia(m);
    this.syncStepMetrics(records, count, undefined);
    if (commitNow) this.commit();
    return true;
  }

  /** The common case, a call that is a whole row by itself: summarised, then written straight as bytes. */
  private writeRow(data: Record<string, unknown>, count: number): void {
    const summary = this.host.summary;
    const records = this.scratchRecords;
    const fragments = this.scratchFragments;
    const values = this.scratchValues;
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (typeof value === 'number') summary.observeNumber(records[i], value);
      else summary.observeJson(records[i], fragments[i] as string);
    }
    this.syncStepMetrics(records, count, data);
    const synced = this.syncedFragments;
    this.syncedFragments = '';
    this.writeRowBytes(records, fragments, values, count, synced);
    this.endRow();
  }

  /**
   * Writes a row at the current step straight into the writer's buffer, key prefixes and time included, without
   * building the line as a string: `values[i]` when it is a number, else `fragments[i]`, then `extra` (JSON
   * text of more members). Numbers are also counted for the history index.
   */
  private writeRowBytes(
    records: KeyRecord[],
    fragments: (string | undefined)[],
    values: unknown[],
    count: number,
    extra: string,
  ): void {
    const out = this.host.writer.line;
    const rowStart = out.pending;
    try {
      out.bytes(STEP_OPEN);
      out.integer(this.step);
      for (let i = 0; i < count; i++) {
        const record = records[i];
        const value = values[i];
        out.bytes(record.prefixBytes);
        if (typeof value === 'number') {
          writeNumber(out, record, value);
          this.index.observe(record.blockSlot as BlockKeyStats, value, this.step);
        } else out.text(fragments[i] as string);
      }
      if (extra !== '') out.text(extra);
      this.rowEnd.update();
      out.bytes(this.rowEnd.bytes);
    } catch (error) {
      out.truncate(rowStart); // never leave half a row behind
      throw error;
    }
    this.host.writer.endLine();
  }

  /** After a row is handed to the writer: counts it, closes its index block when full, moves to the next step. */
  private endRow(): void {
    const block = this.index.endRow(this.step);
    if (block) this.host.writer.appendMark(block);
    this.rowsCommitted++;
    this.step++;
  }

  /** Hands the rows of the unfinished index block to the writer as a block of their own (at finish). */
  closeIndexBlock(): void {
    const block = this.index.takeBlock();
    if (block) this.host.writer.appendMark(block);
  }

  /** Fragments of step metrics inserted by stepSync into a row being written directly. */
  private syncedFragments = '';

  /** defineMetric's stepSync: a row logging a metric without its stepMetric gets the stepMetric's last value. */
  private syncStepMetrics(records: KeyRecord[], count: number, directRow: Record<string, unknown> | undefined): void {
    for (let i = 0; i < count; i++) {
      const definition = records[i].definition;
      if (definition?.stepMetric === undefined || definition.stepSync === false) continue;
      const stepKey = definition.stepMetric;
      const inRow = directRow ? Object.hasOwn(directRow, stepKey) : this.pendingRecords.some((r) => r.key === stepKey);
      if (inRow) continue;
      const stepRecord = this.records.get(stepKey);
      if (!stepRecord || typeof stepRecord.state.last !== 'number') continue;
      if (directRow) {
        if (!this.syncedFragments.includes(stepRecord.prefix)) {
          this.syncedFragments += stepRecord.prefix + numberFragment(stepRecord.state.last);
          this.index.observe(stepRecord.blockSlot as BlockKeyStats, stepRecord.state.last, this.step);
        }
      } else this.setPending(stepRecord, undefined, stepRecord.state.last);
    }
  }

  /** Sets a key of the pending row: a number, or (for other values) its JSON text. */
  private setPending(record: KeyRecord, fragment: string | undefined, number: number | undefined): void {
    const index = this.pendingRecords.indexOf(record);
    if (index === -1) {
      this.pendingRecords.push(record);
      this.pendingFragments.push(fragment);
      this.pendingNumbers.push(number);
    } else {
      this.pendingFragments[index] = fragment;
      this.pendingNumbers[index] = number;
    }
    const mediaIndex = this.pendingMedia.findIndex((m) => m.record === record);
    if (mediaIndex !== -1) this.pendingMedia.splice(mediaIndex, 1);
  }

  private setPendingMedia(media: PendingMedia): void {
    const index = this.pendingRecords.indexOf(media.record);
    if (index !== -1) {
      this.pendingRecords.splice(index, 1);
      this.pendingFragments.splice(index, 1);
      this.pendingNumbers.splice(index, 1);
    }
    const existing = this.pendingMedia.findIndex((m) => m.record === media.record);
    if (existing === -1) this.pendingMedia.push(media);
    else this.pendingMedia[existing] = media;
  }

  /** Writes the pending row (if any) at the current step and moves to the next step. */
  commit(): void {
    if (!this.hasPending) return;
    const records = this.pendingRecords;
    const count = records.length;
    if (this.pendingMedia.length === 0) {
      this.writeRowBytes(records, this.pendingFragments, this.pendingNumbers, count, '');
    } else {
      let body = `{"_step":${this.step}`;
      for (let i = 0; i < count; i++) {
        const number = this.pendingNumbers[i];
        if (number === undefined) body += records[i].prefix + this.pendingFragments[i];
        else {
          body += records[i].prefix + numberText(records[i], number);
          this.index.observe(records[i].blockSlot as BlockKeyStats, number, this.step);
        }
      }
      this.rowEnd.update();
      this.host.writer.appendDeferred(this.encodeMedia(body, this.rowEnd.text, this.pendingMedia, this.step));
      this.pendingMedia = [];
    }
    // New arrays: cheaper than emptying these (setting an array's length is a call into the V8 runtime).
    this.pendingRecords = [];
    this.pendingFragments = [];
    this.pendingNumbers = [];
    this.endRow();
  }

  /** A row with media: `end` is the row's time fields, closing brace and newline. */
  private encodeMedia(body: string, end: string, pending: PendingMedia[], step: number): DeferredLine {
    const line: DeferredLine = { text: undefined, fallback: body + end, done: Promise.resolve() };
    this.pendingMediaCount += pending.length;
    line.done = Promise.all(
      pending.map(async ({ record, value }) => {
        try {
          const ref = await this.toRef(record.key, step, value);
          const json = JSON.stringify(ref);
          this.host.summary.observeJson(record, json);
          return record.prefix + json;
        } catch (error) {
          this.host.reportError(error, `encoding media "${record.key}" at step ${step}`);
          return '';
        } finally {
          this.pendingMediaCount--;
        }
      }),
    ).then((parts) => {
      line.text = body + parts.join('') + end;
    });
    return line;
  }

  private async toRef(key: string, step: number, value: MediaSlotValue): Promise<MediaRef> {
    const context = this.host.media.context(key, step);
    if (!Array.isArray(value)) return value.toMediaRef(context);
    const items = await Promise.all(value.map((item: MediaValue) => item.toMediaRef(context)));
    return { _type: `${value[0].mediaKind}-list`, items };
  }

  private warnDropped(data: Record<string, unknown>, step: number): void {
    const pattern = Object.keys(data).sort().join(',');
    if (this.warnedPatterns.has(pattern)) return;
    this.warnedPatterns.add(pattern);
    this.host.warn(
      `log() with step ${step} is older than the current step ${this.step}: dropped (keys ${pattern}). Steps only move forward; log an x-axis value such as "epoch" instead.`,
    );
  }
}

/**
 * The JSON text of a number logged under `record`. Formatting a float is the costliest part of a row: the text
 * of a repeated value (a constant learning rate) is reused (not for ±0: 0 === -0).
 */
function numberText(record: KeyRecord, value: number): string {
  if (value === record.lastNumber && value !== 0 && record.lastNumberText !== '') return record.lastNumberText;
  record.lastNumber = value;
  record.lastNumberText = numberFragment(value);
  return record.lastNumberText;
}

/** Writes a number of `record` into a row: straight into bytes, or from its text when it repeats or needs String(). */
function writeNumber(out: ByteBuilder, record: KeyRecord, value: number): void {
  if (value === record.lastNumber && value !== 0) {
    out.text(numberText(record, value));
    return;
  }
  record.lastNumber = value; // its text is made (and kept) only if the value repeats
  record.lastNumberText = '';
  if (!out.decimal(value)) out.text(numberText(record, value));
}
