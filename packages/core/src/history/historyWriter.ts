import { join } from 'node:path';
import { RUN_FILES } from '../storage/storePaths.js';
import type { SummaryRecord } from '../summary/summary.js';
import { AppendWriter, type DeferredLine } from './appendWriter.js';
import { BlockIndex, type BlockKeyStats, type BlockSummary, blockLine } from './blockIndex.js';
import { ByteBuilder } from './byteBuilder.js';
import { RowEnd } from './rowEnd.js';
import { MAX_ROW_BYTES, rowTooLarge } from './rowLimits.js';
import { numberFragment } from './valueEncoder.js';

const STEP_OPEN = Buffer.from('{"_step":');
/** Size of the buffers the first part of a row with media is built in (they grow for a bigger row). */
const MEDIA_ROW_HEAD_BYTES = 16 * 1024;

/** A logged key as rows are written: its prefix, the text of its last number, its index stats and its summary. */
export interface RowKey {
  key: string;
  /** `,"key":` as text and as UTF-8 bytes. */
  prefix: string;
  prefixBytes: Buffer;
  /** The last number written under this key and its JSON text ('' until made): a repeated value formats once. */
  lastNumber: number;
  lastNumberText: string;
  /** The key's numbers in the current history index block. */
  blockSlot: BlockKeyStats;
  /** The key's summary record: the recorder feeds it the values it writes. */
  summary: SummaryRecord;
}

export function rowKey(key: string, summary: SummaryRecord): RowKey {
  const prefix = `,${JSON.stringify(key)}:`;
  return {
    key,
    prefix,
    prefixBytes: Buffer.from(prefix),
    lastNumber: Number.NaN,
    lastNumberText: '',
    blockSlot: BlockIndex.slot(key),
    summary,
  };
}

/** How a run's streams are written: the history writer's, and the run's other streams' (run/runStreams.ts). */
export interface StreamOptions {
  /** The run folder. */
  dir: string;
  /** Flush a stream as soon as this many bytes are queued. */
  flushBytes: number;
  /** A disabled run: everything is built as usual, then dropped; nothing is written. */
  discard: boolean;
  /** Seconds since the run started, resumes included (a row's `_runtime`). */
  runtime: () => number;
  /** A failed write (its bytes stay queued and are retried): reported with the context `writing <file>`. */
  reportError: (error: unknown, context: string) => void;
}

/**
 * The one writer of history rows (docs/FORMAT.md: history.jsonl and its index, history-index.jsonl). A row is
 * built straight into the stream's byte buffer: `{"_step":N`, each key's cached `,"key":` bytes and its value (a
 * number formatted into bytes, else the JSON text the recorder validated), then `_runtime`, `_timestamp` and the
 * newline. A row with media is built the same way into a buffer of its own and queued as a deferred line, its
 * media members inserted once their files are written. Every row's numbers feed the index block; a full block
 * is marked in the stream, and its index line appended once the block's bytes are on disk, so the index never
 * runs ahead of history.
 */
export class HistoryWriter {
  private readonly rows: AppendWriter<BlockSummary>;
  private readonly index: AppendWriter;
  private readonly blocks = new BlockIndex();
  private readonly rowEnd: RowEnd;
  private readonly mediaRowHeads = new ByteBuilder(MEDIA_ROW_HEAD_BYTES);
  private readonly discard: boolean;
  /** Rows handed to the history stream (queued or on disk). */
  private rowsHanded = 0;

  constructor(options: StreamOptions) {
    const { dir, flushBytes, discard, reportError } = options;
    this.discard = discard;
    this.rowEnd = new RowEnd(options.runtime);
    const onError = (file: string) => (error: unknown) => reportError(error, `writing ${file}`);
    this.index = new AppendWriter(join(dir, RUN_FILES.historyIndex), {
      flushBytes,
      discard,
      onError: onError(RUN_FILES.historyIndex),
    });
    this.rows = new AppendWriter<BlockSummary>(join(dir, RUN_FILES.history), {
      flushBytes,
      discard,
      onError: onError(RUN_FILES.history),
      onMark: (block, start, end) => this.index.append(blockLine(block, start, end)),
    });
  }

  /**
   * Writes a row at `step`: for each of the first `count` keys, `values[i]` when it is a number, else
   * `fragments[i]` (the value's JSON text).
   */
  write(step: number, keys: RowKey[], fragments: (string | undefined)[], values: unknown[], count: number): void {
    const out = this.rows.line;
    const rowStart = out.pending;
    try {
      this.members(out, rowStart, step, keys, fragments, values, count);
      this.rowEnd.update();
      out.bytes(this.rowEnd.bytes);
    } catch (error) {
      out.truncate(rowStart); // never leave half a row behind
      throw error;
    }
    this.rows.endLine();
    this.endRow(step);
  }

  /**
   * Writes a row with media: its other members as `write` does, and `media` (the media members' JSON text, which
   * resolves once their files are written) before the time fields. Until then the row keeps its place in the
   * stream; a process that must stop first writes it without its media.
   */
  writeWithMedia(
    step: number,
    keys: RowKey[],
    fragments: (string | undefined)[],
    values: unknown[],
    count: number,
    media: Promise<string>,
  ): void {
    const out = this.mediaRowHeads;
    try {
      this.members(out, 0, step, keys, fragments, values, count);
    } catch (error) {
      out.truncate(0);
      throw error;
    }
    const head = out.seal() ?? Buffer.alloc(0); // never empty: members() wrote `{"_step":N` at least
    this.rowEnd.update();
    const tail = this.rowEnd.bytes;
    const line: DeferredLine = {
      bytes: undefined,
      fallback: Buffer.concat([head, tail]),
      done: media.then((members) => {
        line.bytes = Buffer.concat([head, Buffer.from(members), tail]);
      }),
    };
    this.rows.appendDeferred(line);
    this.endRow(step);
  }

  /**
   * `{"_step":N` and the row's members. A row whose bytes (the builder's running count since `rowStart`) pass
   * MAX_ROW_BYTES throws ROW_TOO_LARGE, checked after each text value (the only ones that can be large) and once
   * at the end; only a row within the bound has its numbers counted in the index block.
   */
  private members(
    out: ByteBuilder,
    rowStart: number,
    step: number,
    keys: RowKey[],
    fragments: (string | undefined)[],
    values: unknown[],
    count: number,
  ): void {
    out.bytes(STEP_OPEN);
    out.integer(step);
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      const value = values[i];
      out.bytes(key.prefixBytes);
      if (typeof value === 'number') writeNumber(out, key, value);
      else {
        out.text(fragments[i] as string);
        if (out.pending - rowStart > MAX_ROW_BYTES) throw rowTooLarge(out.pending - rowStart, step);
      }
    }
    if (out.pending - rowStart > MAX_ROW_BYTES) throw rowTooLarge(out.pending - rowStart, step);
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (typeof value === 'number') this.blocks.observe(keys[i].blockSlot, value, step);
    }
  }

  /** After a row is handed to the stream: counts it and marks its index block when full. */
  private endRow(step: number): void {
    const block = this.blocks.endRow(step);
    if (block) this.rows.appendMark(block);
    this.rowsHanded++;
  }

  /** Marks the rows of the unfinished index block as a block of their own (at the end of a session). */
  endBlock(): void {
    const block = this.blocks.takeBlock();
    if (block) this.rows.appendMark(block);
  }

  /** Rows whose bytes are all on disk (this session's). Scans what is queued: for status(). */
  get rowsOnDisk(): number {
    return this.discard ? 0 : this.rowsHanded - this.rows.unwrittenLines();
  }

  get queuedBytes(): number {
    return this.rows.queuedBytes + this.index.queuedBytes;
  }

  get writeErrors(): number {
    return this.rows.writeErrors + this.index.writeErrors;
  }

  /** Writes what is ready; the index lines of blocks whose bytes this writes go out in the same flush. */
  async flush(): Promise<void> {
    await this.rows.flush();
    await this.index.flush();
  }

  /**
   * Waits for the media of every row, then writes history; the index lines this releases go out with the next
   * flush or at close (finish closes the index while it saves the documents).
   */
  drain(): Promise<void> {
    return this.rows.drain();
  }

  /** Writes everything now (rows with media still encoding, without it): history first, then its index. */
  flushSync(): void {
    this.rows.flushSync();
    this.index.flushSync();
  }

  /** Drains and closes history, then the index, whose last lines history's last write appends. */
  async close(): Promise<void> {
    await this.rows.close();
    await this.index.close();
  }
}

/**
 * The JSON text of a number logged under `key`. Formatting a float is the costliest part of a row: the text of a
 * repeated value (a constant learning rate) is reused (not for ±0: 0 === -0).
 */
function numberText(key: RowKey, value: number): string {
  if (value === key.lastNumber && value !== 0 && key.lastNumberText !== '') return key.lastNumberText;
  key.lastNumber = value;
  key.lastNumberText = numberFragment(value);
  return key.lastNumberText;
}

/** Writes a number of `key` into a row: straight into bytes, or from its text when it repeats or needs String(). */
function writeNumber(out: ByteBuilder, key: RowKey, value: number): void {
  if (value === key.lastNumber && value !== 0) {
    out.text(numberText(key, value));
    return;
  }
  key.lastNumber = value; // its text is made (and kept) only if the value repeats
  key.lastNumberText = '';
  if (!out.decimal(value)) out.text(numberText(key, value));
}
