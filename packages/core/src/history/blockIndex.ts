import { numberFragment } from './valueEncoder.js';

/** Rows per index block: 1,000,000 rows make ~2,000 blocks, so a chart of 1,000 buckets is drawn from the index. */
export const BLOCK_ROWS = 512;

/** A key's numbers in one block: count, first, last, minimum and maximum, each with its step. */
export interface KeyStats {
  count: number;
  firstStep: number;
  first: number;
  lastStep: number;
  last: number;
  minStep: number;
  min: number;
  maxStep: number;
  max: number;
}

/** The order of a key's stats in an index line (docs/FORMAT.md, history-index.jsonl). */
export const KEY_STATS_FIELDS = [
  'count',
  'firstStep',
  'first',
  'lastStep',
  'last',
  'minStep',
  'min',
  'maxStep',
  'max',
] as const satisfies readonly (keyof KeyStats)[];

/** One key's numbers within the current block (NaN is left out, as history's samplers leave it out). */
export interface BlockKeyStats extends KeyStats {
  /** The block these stats belong to; older stats are reset before use. */
  block: number;
  /** The key's JSON text, `"loss"`, ready for the index line. */
  quotedKey: string;
}

/** A finished block of rows: its step range and the JSON text of its per-key stats, waiting for its bytes' offsets. */
export interface BlockSummary {
  rows: number;
  firstStep: number;
  lastStep: number;
  keysJson: string;
}

/**
 * Per-block statistics of the numbers in history rows, gathered as rows are written (docs/FORMAT.md,
 * history-index.jsonl): for each key, the count, first, last, minimum and maximum with their steps. Readers use
 * them to draw a long history or find its extremes without parsing it. The caller feeds every committed row:
 * `observe` for its numbers, then `endRow`; a full block comes back from `endRow` (or `takeBlock` at the end).
 */
export class BlockIndex {
  private block = 0;
  private rows = 0;
  private firstStep = 0;
  private lastStep = 0;
  private touched: BlockKeyStats[] = [];

  /** Stats slot for a key, created once per key and kept by the caller (a field of its key record). */
  static slot(key: string): BlockKeyStats {
    return {
      block: -1,
      quotedKey: JSON.stringify(key),
      count: 0,
      firstStep: 0,
      first: 0,
      lastStep: 0,
      last: 0,
      minStep: 0,
      min: 0,
      maxStep: 0,
      max: 0,
    };
  }

  observe(slot: BlockKeyStats, value: number, step: number): void {
    if (Number.isNaN(value)) return;
    if (slot.block !== this.block) {
      slot.block = this.block;
      slot.count = 1;
      slot.firstStep = slot.lastStep = slot.minStep = slot.maxStep = step;
      slot.first = slot.last = slot.min = slot.max = value;
      this.touched.push(slot);
      return;
    }
    slot.count++;
    slot.lastStep = step;
    slot.last = value;
    if (value < slot.min) {
      slot.min = value;
      slot.minStep = step;
    } else if (value > slot.max) {
      slot.max = value;
      slot.maxStep = step;
    }
  }

  /** Closes a row at `step`; returns the block when it is full. */
  endRow(step: number): BlockSummary | undefined {
    if (this.rows === 0) this.firstStep = step;
    this.lastStep = step;
    this.rows++;
    return this.rows >= BLOCK_ROWS ? this.takeBlock() : undefined;
  }

  /** The block so far (undefined when it has no rows), and a fresh block after it. */
  takeBlock(): BlockSummary | undefined {
    if (this.rows === 0) return undefined;
    let keysJson = '{';
    for (let i = 0; i < this.touched.length; i++) {
      const stats = this.touched[i];
      keysJson += `${i === 0 ? '' : ','}${stats.quotedKey}:[${KEY_STATS_FIELDS.map((f) => numberFragment(stats[f])).join(',')}]`;
    }
    const summary: BlockSummary = {
      rows: this.rows,
      firstStep: this.firstStep,
      lastStep: this.lastStep,
      keysJson: `${keysJson}}`,
    };
    this.block++;
    this.rows = 0;
    this.touched = [];
    return summary;
  }
}

/** The history-index.jsonl line of a block whose bytes are `[start, end)` of history.jsonl. */
export function blockLine(block: BlockSummary, start: number, end: number): string {
  return `{"start":${start},"end":${end},"rows":${block.rows},"steps":[${block.firstStep},${block.lastStep}],"keys":${block.keysJson}}\n`;
}
