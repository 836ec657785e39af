/**
 * Per-block statistics of history on the server, as history-index.jsonl has them locally (docs/FORMAT.md): for
 * every 512 rows (in the order they arrived) and each top-level numeric key, the count, first, last, minimum and
 * maximum, each with its step. A chart of millions of points is drawn from these, never from the rows.
 */
export const BLOCK_ROWS = 512;

/** [count, firstStep, first, lastStep, last, minStep, min, maxStep, max], FORMAT.md's order. */
export type KeyStatsTuple = [number, number, number, number, number, number, number, number, number];

export interface HistoryBlock {
  block: number;
  /** The block's bytes `[start, end)` in the client's history file. */
  start: number;
  end: number;
  rows: number;
  firstStep: number;
  lastStep: number;
  keys: Map<string, KeyStatsTuple>;
}

/** A history_blocks row as node-postgres returns it (bigints as strings). */
export interface StoredBlockRow {
  start_offset: string;
  end_offset: string;
  rows: number;
  first_step: string;
  last_step: string;
  keys: Record<string, unknown[]>;
}

/** A number a history value stands for in the statistics: numbers and ±Infinity; NaN and everything else not. */
export function statNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && (value as { _type?: unknown })._type === 'float') {
    const text = (value as { value?: unknown }).value;
    if (text === 'Infinity') return Number.POSITIVE_INFINITY;
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (text === '-0') return -0;
  }
  return undefined;
}

/** Adds one row (row number `index` of the run's history, at `line`'s bytes) to the blocks being built. */
export function observeRow(
  blocks: Map<number, HistoryBlock>,
  index: number,
  line: { offset: number; end: number },
  step: number,
  row: Record<string, unknown>,
): void {
  const number = Math.floor(index / BLOCK_ROWS);
  let block = blocks.get(number);
  if (!block) {
    block = {
      block: number,
      start: line.offset,
      end: line.end,
      rows: 0,
      firstStep: step,
      lastStep: step,
      keys: new Map(),
    };
    blocks.set(number, block);
  }
  block.rows++;
  block.lastStep = step;
  block.end = line.end;
  for (const key in row) {
    if (key === '_step') continue;
    const value = statNumber(row[key]);
    if (value === undefined || Number.isNaN(value)) continue;
    const stats = block.keys.get(key);
    if (!stats) {
      block.keys.set(key, [1, step, value, step, value, step, value, step, value]);
      continue;
    }
    stats[0]++;
    stats[3] = step;
    stats[4] = value;
    if (value < stats[6]) {
      stats[5] = step;
      stats[6] = value;
    } else if (value > stats[8]) {
      stats[7] = step;
      stats[8] = value;
    }
  }
}

/** Joins a stored partial block (earlier rows) with the same block's rows from a new batch (later rows). */
export function mergeBlocks(earlier: HistoryBlock, later: HistoryBlock): HistoryBlock {
  const keys = new Map(earlier.keys);
  for (const [key, b] of later.keys) {
    const a = keys.get(key);
    if (!a) {
      keys.set(key, b);
      continue;
    }
    const min = b[6] < a[6] ? [b[5], b[6]] : [a[5], a[6]];
    const max = b[8] > a[8] ? [b[7], b[8]] : [a[7], a[8]];
    keys.set(key, [a[0] + b[0], a[1], a[2], b[3], b[4], min[0], min[1], max[0], max[1]]);
  }
  return {
    block: earlier.block,
    start: earlier.start,
    end: later.end,
    rows: earlier.rows + later.rows,
    firstStep: earlier.firstStep,
    lastStep: later.lastStep,
    keys,
  };
}

/** JSON text of a number as the store writes it: ±Infinity and -0 as `_type` float objects. */
function encodeNumber(value: number): unknown {
  if (Number.isFinite(value) && !Object.is(value, -0)) return value;
  return { _type: 'float', value: Object.is(value, -0) ? '-0' : String(value) };
}

export function encodeKeys(keys: Map<string, KeyStatsTuple>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [key, stats] of keys) out[key] = stats.map(encodeNumber);
  return out;
}

export function decodeKeys(json: Record<string, unknown[]>): Map<string, KeyStatsTuple> {
  const keys = new Map<string, KeyStatsTuple>();
  for (const [key, stats] of Object.entries(json)) {
    keys.set(key, stats.map((v) => statNumber(v) ?? Number.NaN) as KeyStatsTuple);
  }
  return keys;
}
