import { InvalidValueError } from '../errors/runlogError.js';
import type { Summary } from '../summary/summary.js';
import { type HistoryWriter, type RowKey, rowKey } from './historyWriter.js';
import type { MediaMembers, PendingMedia } from './mediaMembers.js';
import { PendingRow } from './pendingRow.js';
import { asMediaSlot, checkKey, encodeValue } from './valueEncoder.js';

const RESERVED_KEYS = new Set(['_step', '_runtime', '_timestamp', '_type']);
// Faster than Object.hasOwn inside for-in: V8 knows keys from the enumeration are own.
const isOwnKey = Object.prototype.hasOwnProperty;

export interface LogOptions {
  /** The step this data belongs to; defaults to the run's current step. Smaller than the current step: dropped. */
  step?: number;
  /** true: write the row now; false: keep accumulating. Default true without `step`, false with it. */
  commit?: boolean;
}

export interface RecorderParts {
  writer: HistoryWriter;
  summary: Summary;
  media: MediaMembers;
  /** The first step to write: 0, or the step after a resumed run's last row. */
  firstStep: number;
  warn(message: string): void;
}

/**
 * Turns `log()` calls into history rows with wandb's step rules: an implicit step that increments on each
 * commit, `commit: false` accumulating into the current row, an explicit larger step committing the pending
 * row first, a smaller step warned about (once per set of keys) and dropped. Values are validated and
 * serialised here, on the caller's thread; a whole call is rejected if any of its values is invalid. The summary
 * sees each row's final values when the row is committed; the rows go to the history writer.
 */
export class HistoryRecorder {
  /** The step the next row is written at. */
  private current: number;
  private readonly keys = new Map<string, RowKey>();
  private readonly pending = new PendingRow();
  private readonly warnedPatterns = new Set<string>();
  /** The keys of the previous call, in order, and their records: a loop logging the same keys skips the lookups. */
  private keysSeen: string[] = [];
  private recordsSeen: RowKey[] = [];
  // Scratch space for one call, reused to keep log() allocation-free.
  private scratchRecords: RowKey[] = [];
  private scratchValues: unknown[] = [];
  /** A value's JSON text; undefined for a number (formatted only where it is written). */
  private scratchFragments: (string | undefined)[] = [];

  constructor(private readonly parts: RecorderParts) {
    this.current = parts.firstStep;
  }

  /** The step the next row is written at. */
  get step(): number {
    return this.current;
  }

  /** Media values of committed rows still encoding. */
  get pendingMedia(): number {
    return this.parts.media.pending;
  }

  private recordFor(key: string): RowKey {
    let record = this.keys.get(key);
    if (record === undefined) {
      checkKey(key, '');
      if (RESERVED_KEYS.has(key)) {
        throw new InvalidValueError(`key "${key}" is reserved for runlog's own columns: rename it`, 'INVALID_KEY');
      }
      record = rowKey(key, this.parts.summary.record(key));
      this.keys.set(key, record);
    }
    return record;
  }

  log(data: Record<string, unknown>, options?: LogOptions): boolean {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new InvalidValueError('log() takes an object of key -> value, like log({ loss: 0.3 })', 'INVALID_ARGUMENT');
    }
    const step = options?.step;
    const commitOption = options?.commit;
    if (step !== undefined && (!Number.isSafeInteger(step) || step < 0)) {
      throw new InvalidValueError(
        `step must be an integer from 0 to Number.MAX_SAFE_INTEGER (2^53-1), got ${step}`,
        'INVALID_ARGUMENT',
      );
    }
    // Past 2^53-1 an increment no longer changes the number: rows would share a _step.
    if (this.current > Number.MAX_SAFE_INTEGER) {
      throw new InvalidValueError(
        'the step passed Number.MAX_SAFE_INTEGER (2^53-1): no later row can be logged',
        'INVALID_ARGUMENT',
      );
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
      let record: RowKey;
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
          media.push({ key: record, value: slot });
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
    if (step !== undefined && step < this.current) {
      this.warnDropped(data, step);
      return false;
    }
    if (step !== undefined && step > this.current) {
      this.commit();
      this.current = step;
    }
    const commitNow = step === undefined ? commitOption !== false : commitOption === true;

    // Pass 2: a whole row by itself is written now; anything else goes into the pending row, which the summary
    // sees only when it is committed (a value replaced before the commit never reached history).
    const pending = this.pending;
    if (pending.isEmpty && media === undefined && commitNow) {
      this.writeRow(data, count);
      return true;
    }
    pending.assertFits(records, fragments, count, this.current);
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (typeof value === 'number') pending.set(records[i], undefined, value);
      else pending.set(records[i], fragments[i] as string, undefined);
    }
    if (media) for (const m of media) pending.setMedia(m);
    if (commitNow) this.commit();
    return true;
  }

  /** The common case, a call that is a whole row by itself: summarised, then written straight as bytes. */
  private writeRow(data: Record<string, unknown>, count: number): void {
    const summary = this.parts.summary;
    const records = this.scratchRecords;
    const fragments = this.scratchFragments;
    const values = this.scratchValues;
    const members = this.syncStepMetrics(data, count);
    // Written first: a row over MAX_ROW_BYTES throws there, before the summary has seen any of its values.
    this.parts.writer.write(this.current, records, fragments, values, members);
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (typeof value === 'number') summary.observeNumber(records[i].summary, value);
      else summary.observeJson(records[i].summary, fragments[i] as string);
    }
    this.current++;
  }

  /**
   * defineMetric's stepSync for a row written directly: a row logging a metric without its stepMetric gets the
   * stepMetric's last value, appended after the row's own keys. Returns the row's number of members.
   */
  private syncStepMetrics(data: Record<string, unknown>, count: number): number {
    const records = this.scratchRecords;
    let members = count;
    for (let i = 0; i < count; i++) {
      const definition = records[i].summary.definition;
      if (definition?.stepMetric === undefined || definition.stepSync === false) continue;
      const stepKey = definition.stepMetric;
      if (Object.hasOwn(data, stepKey)) continue;
      const stepRecord = this.keys.get(stepKey);
      const last = stepRecord?.summary.state.last;
      if (stepRecord === undefined || typeof last !== 'number') continue;
      if (isAmong(records, count, members, stepRecord)) continue; // two metrics with one stepMetric
      records[members] = stepRecord;
      this.scratchFragments[members] = undefined;
      this.scratchValues[members] = last;
      members++;
    }
    return members;
  }

  /**
   * Writes the pending row (if any) at the current step and moves to the next step. defineMetric's stepSync first
   * adds the last value of each stepMetric the row lacks; the summary observes the row's final values once written.
   */
  private commit(): void {
    const pending = this.pending;
    if (pending.isEmpty) return;
    const { writer, media, summary } = this.parts;
    const { keys, fragments, numbers } = pending;
    const observed = keys.length;
    for (let i = 0; i < observed; i++) {
      const definition = keys[i].summary.definition;
      if (definition?.stepMetric === undefined || definition.stepSync === false) continue;
      const stepKey = definition.stepMetric;
      if (pending.has(stepKey)) continue;
      const stepRecord = this.keys.get(stepKey);
      const last = stepRecord?.summary.state.last;
      if (stepRecord === undefined || typeof last !== 'number') continue;
      pending.set(stepRecord, undefined, last);
    }
    const count = keys.length;
    try {
      if (pending.media.length === 0) writer.write(this.current, keys, fragments, numbers, count);
      else {
        const members = media.encode(this.current, pending.media);
        writer.writeWithMedia(this.current, keys, fragments, numbers, count, members);
      }
      // Aggregated on commit, from the row's final values, and only for a row the writer took.
      for (let i = 0; i < observed; i++) {
        const number = numbers[i];
        if (number !== undefined) summary.observeNumber(keys[i].summary, number);
        else summary.observeJson(keys[i].summary, fragments[i] as string);
      }
    } finally {
      // Never left pending: a row the writer refused (past the size bound despite assertFits) would refuse forever.
      pending.clear();
      this.current++;
    }
  }

  /** Ends the session's history: commits the pending row and closes the last index block. */
  end(): void {
    this.commit();
    this.parts.writer.endBlock();
  }

  private warnDropped(data: Record<string, unknown>, step: number): void {
    const pattern = Object.keys(data).sort().join(',');
    if (this.warnedPatterns.has(pattern)) return;
    this.warnedPatterns.add(pattern);
    this.parts.warn(
      `log() with step ${step} is older than the current step ${this.current}: dropped (keys ${pattern}). Steps only move forward; log an x-axis value such as "epoch" instead.`,
    );
  }
}

/** Whether `records[from..to)` holds `record`. */
function isAmong(records: RowKey[], from: number, to: number, record: RowKey): boolean {
  for (let i = from; i < to; i++) if (records[i] === record) return true;
  return false;
}
