import {
  checkKey,
  encodeValue,
  InvalidValueError,
  isMediaValue,
  type MediaRef,
  type MediaValue,
  type Summary,
} from '@runlog/core/browser';

export interface LogOptions {
  step?: number;
  commit?: boolean;
}

const NO_REFS: ReadonlySet<string> = new Set();

/** A committed row on its way to history.jsonl: its text once its media values are encoded. */
type QueuedRow = { text: string } | { pending: Promise<string> };

/**
 * `log()`'s step rules, as the engine's (packages/core history/historyRecorder.ts): auto-increment; `commit: false`
 * accumulates into the step's row; an explicit smaller step is warned about once and dropped; a larger one commits
 * the pending row first. Values are validated and encoded by core's value encoder at the call; defineMetric's
 * stepSync adds a stepMetric's last value to a row that lacks it; the summary observes each committed row. A row
 * with media values (an image) waits for them, and rows reach history.jsonl in step order.
 */
export class HistoryLog {
  /** The step the pending row (or the next row) gets. */
  step = 0;
  private pending = new Map<string, unknown>();
  private readonly queue: QueuedRow[] = [];
  private warnedBackwards = false;

  constructor(
    private readonly summary: Summary,
    private readonly encodeMedia: (value: MediaValue, key: string, step: number) => Promise<MediaRef>,
    private readonly clock: () => { runtime: number; timestamp: number },
    private readonly warn: (message: string) => void,
  ) {}

  log(data: Record<string, unknown>, options: LogOptions = {}): void {
    const encoded: Array<[string, unknown]> = [];
    for (const key of Object.keys(data)) {
      checkKey(key, 'log');
      const value = data[key];
      if (value === undefined) continue;
      if (!isMediaValue(value)) encodeValue(value, key); // throws for a value that cannot be recorded: nothing is kept
      encoded.push([key, value]);
    }
    const { step, commit } = options;
    if (step !== undefined) {
      if (!Number.isSafeInteger(step) || step < 0)
        throw new InvalidValueError(`log: step must be a non-negative integer, got ${step}`, 'INVALID_ARGUMENT');
      if (step < this.step) {
        if (!this.warnedBackwards) {
          this.warnedBackwards = true;
          this.warn(
            `log: step ${step} is below the current step ${this.step}; this row is dropped (steps only go forward)`,
          );
        }
        return;
      }
      if (step > this.step) {
        this.commit();
        this.step = step;
      }
    }
    for (const [key, value] of encoded) this.pending.set(key, value);
    if (commit === true || (commit === undefined && step === undefined)) this.commit();
  }

  /** Commits the pending row (if any) at the current step and moves to the next. */
  commit(): void {
    if (this.pending.size === 0) return;
    const row = this.pending;
    this.pending = new Map();
    const step = this.step++;
    this.addStepMetrics(row);
    const { runtime, timestamp } = this.clock();
    const media = [...row].filter(([, value]) => isMediaValue(value)) as Array<[string, MediaValue]>;
    if (media.length === 0) {
      this.queue.push({ text: this.rowText(step, row, runtime, timestamp) });
      return;
    }
    const pending = Promise.all(media.map(([key, value]) => this.encodeMedia(value, key, step))).then(
      (refs) => {
        for (let i = 0; i < media.length; i++) row.set(media[i][0], refs[i]);
        return this.rowText(step, row, runtime, timestamp, new Set(media.map(([key]) => key)));
      },
      (error: unknown) => {
        // An image that cannot be encoded is left out of its row; the row's other values are kept.
        this.warn(`log: a media value of step ${step} could not be encoded (${(error as Error)?.message}); left out`);
        for (const [key] of media) row.delete(key);
        return this.rowText(step, row, runtime, timestamp);
      },
    );
    const slot: QueuedRow = { pending };
    this.queue.push(slot);
    void pending.then((text) => {
      const index = this.queue.indexOf(slot);
      if (index >= 0) this.queue[index] = { text };
    });
  }

  /** The rows ready to write, in step order (up to the first whose media are still encoding). */
  takeReady(): string[] {
    const out: string[] = [];
    while (this.queue.length > 0 && 'text' in this.queue[0]) out.push((this.queue.shift() as { text: string }).text);
    return out;
  }

  /** Resolves when every committed row's media are encoded. */
  async settled(): Promise<void> {
    await Promise.all(this.queue.map((row) => ('pending' in row ? row.pending : undefined)));
    await Promise.resolve(); // let the slots' own continuations run
  }

  private addStepMetrics(row: Map<string, unknown>): void {
    for (const key of [...row.keys()]) {
      const definition = this.summary.record(key).definition;
      if (definition?.stepMetric === undefined || definition.stepSync === false) continue;
      if (row.has(definition.stepMetric)) continue;
      const last = this.summary.record(definition.stepMetric).state.last;
      if (typeof last === 'number') row.set(definition.stepMetric, last);
    }
  }

  /** The row's JSON line; the summary observes its values (once, as they are written). */
  private rowText(
    step: number,
    row: Map<string, unknown>,
    runtime: number,
    timestamp: number,
    refs: ReadonlySet<string> = NO_REFS,
  ): string {
    let text = `{"_step":${step}`;
    for (const [key, value] of row) {
      // A media reference is runlog's own JSON (with `_type`), written as it is.
      const json = refs.has(key) ? JSON.stringify(value) : encodeValue(value, key);
      if (json === undefined) continue;
      text += `,${JSON.stringify(key)}:${json}`;
      const record = this.summary.record(key);
      if (typeof value === 'number') this.summary.observeNumber(record, value);
      else this.summary.observeJson(record, json);
    }
    return `${text},"_runtime":${runtime},"_timestamp":${timestamp}}\n`;
  }
}
