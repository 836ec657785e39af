import { type FileHandle, open, readFile } from 'node:fs/promises';
import { KEY_STATS_FIELDS, type KeyStats } from '../history/blockIndex.js';
import { decodeJsonValue } from '../values/jsonCodec.js';
import { decodeRow, type HistoryRow } from './historyScan.js';

/** A key's numbers in one block of rows: count, first, last, minimum and maximum, each with its step. */
export type IndexedKeyStats = KeyStats;

/** One line of history-index.jsonl: the rows in bytes `[start, end)` of history.jsonl and their numbers. */
export interface IndexBlock {
  start: number;
  end: number;
  rows: number;
  firstStep: number;
  lastStep: number;
  keys: Map<string, IndexedKeyStats>;
}

/** A point of a series: a row's step and the key's value there. */
export interface SeriesPoints {
  steps: number[];
  values: number[];
}

/** Past this many unindexed bytes an index is not used: its gaps would be read whole, and kept, on each load. */
const MAX_GAP_BYTES = 16 << 20;

/** Byte ranges of history the index does not describe (a crashed session's last rows): read as rows. */
interface Gap {
  start: number;
  end: number;
  rows: HistoryRow[];
}

/**
 * The history index of a run (docs/FORMAT.md, history-index.jsonl), checked against history.jsonl: blocks in
 * byte order that do not overlap, end inside the file, and start with the step they claim. The bytes between
 * and after them (rows of a session that crashed before its block was indexed, a live run's newest rows) are
 * read as rows, so what the index answers covers the whole history. `load` returns undefined when there is no
 * usable index; callers then read the history itself.
 */
export class HistoryIndex {
  private constructor(
    /** The history.jsonl this index describes. */
    readonly historyPath: string,
    readonly blocks: IndexBlock[],
    private readonly gaps: Gap[],
    /** history.jsonl's size when the index was loaded. */
    readonly historyBytes: number,
  ) {}

  static async load(historyPath: string, indexPath: string): Promise<HistoryIndex | undefined> {
    let text: string;
    try {
      text = await readFile(indexPath, 'utf8');
    } catch {
      return undefined;
    }
    let handle: FileHandle;
    try {
      handle = await open(historyPath, 'r');
    } catch {
      return undefined;
    }
    try {
      const size = (await handle.stat()).size;
      const blocks = parseBlocks(text, size);
      if (blocks === undefined || blocks.length === 0) return undefined;
      // Spot checks: the first and last blocks start with the rows they describe (history was not rewritten).
      for (const block of new Set([blocks[0], blocks[blocks.length - 1]])) {
        if ((await stepAt(handle, block.start)) !== block.firstStep) return undefined;
      }
      const gaps: Gap[] = [];
      let covered = 0;
      for (const block of blocks) {
        if (block.start > covered) gaps.push({ start: covered, end: block.start, rows: [] });
        covered = block.end;
      }
      if (covered < size) gaps.push({ start: covered, end: size, rows: [] });
      // Mostly unindexed (a history written before indexes existed, then resumed): reading it is the rows' job.
      if (gaps.reduce((bytes, gap) => bytes + gap.end - gap.start, 0) > MAX_GAP_BYTES) return undefined;
      for (const gap of gaps) gap.rows = parseRows(await readRange(handle, gap.start, gap.end));
      return new HistoryIndex(historyPath, blocks, gaps, size);
    } finally {
      await handle.close();
    }
  }

  /** Rows described by blocks (the rest, `gapRows`, were read from history). */
  get indexedRows(): number {
    let rows = 0;
    for (const block of this.blocks) rows += block.rows;
    return rows;
  }

  get gapRows(): number {
    let rows = 0;
    for (const gap of this.gaps) rows += gap.rows.length;
    return rows;
  }

  /** True when every block has `key` in every row (a key logged with each step). */
  isDense(key: string): boolean {
    return this.blocks.every((b) => b.keys.get(key)?.count === b.rows) && this.gaps.every((g) => denseIn(g, key));
  }

  /** How many rows hold a number (not NaN) for `key`. */
  valueCount(key: string): number {
    let count = 0;
    this.walk(
      (block) => {
        count += block.keys.get(key)?.count ?? 0;
      },
      (row) => {
        if (typeof row[key] === 'number' && !Number.isNaN(row[key])) count++;
      },
    );
    return count;
  }

  /** True when the key has numbers somewhere in the indexed blocks. */
  hasKey(key: string): boolean {
    return this.blocks.some((b) => b.keys.has(key));
  }

  /**
   * The points that outline a key's series: for each block its first, last, smallest and largest value (at most
   * four real rows), and every row outside the blocks, in step order. M4 downsampling of these points draws the
   * same chart as M4 over every row, at block resolution.
   */
  envelope(key: string): SeriesPoints {
    const out: SeriesPoints = { steps: [], values: [] };
    const push = (step: number, value: number) => {
      const last = out.steps.length - 1;
      if (last >= 0 && out.steps[last] === step) return;
      out.steps.push(step);
      out.values.push(value);
    };
    this.walk(
      (block) => {
        const s = block.keys.get(key);
        if (!s) return;
        const points: [number, number][] = [
          [s.firstStep, s.first],
          [s.minStep, s.min],
          [s.maxStep, s.max],
          [s.lastStep, s.last],
        ];
        points.sort((a, b) => a[0] - b[0]);
        for (const [step, value] of points) push(step, value);
      },
      (row) => {
        const value = row[key];
        if (typeof value === 'number' && !Number.isNaN(value)) push(row._step as number, value);
      },
    );
    return out;
  }

  /** The steps of each key's smallest and largest number over the whole history (NaN ignored). */
  extremeSteps(keys: Iterable<string>): Set<number> {
    const steps = new Set<number>();
    for (const key of keys) {
      let min: { step: number; value: number } | undefined;
      let max: { step: number; value: number } | undefined;
      const see = (step: number, value: number) => {
        if (!min || value < min.value) min = { step, value };
        if (!max || value > max.value) max = { step, value };
      };
      this.walk(
        (block) => {
          const s = block.keys.get(key);
          if (s) {
            see(s.minStep, s.min);
            see(s.maxStep, s.max);
          }
        },
        (row) => {
          const value = row[key];
          if (typeof value === 'number' && !Number.isNaN(value)) see(row._step as number, value);
        },
      );
      if (min) steps.add(min.step);
      if (max) steps.add(max.step);
    }
    return steps;
  }

  /** Numeric keys the blocks and gap rows hold (not `_` keys). */
  numericKeys(): Set<string> {
    const keys = new Set<string>();
    for (const block of this.blocks) for (const key of block.keys.keys()) keys.add(key);
    for (const gap of this.gaps)
      for (const row of gap.rows)
        for (const key in row) if (typeof row[key] === 'number' && !key.startsWith('_')) keys.add(key);
    return keys;
  }

  /**
   * Reads chosen rows: `rowIndexes` by position in the history (0 = first row) and `steps` by step. Only the
   * blocks holding them are read. Rows come back decoded, in history order.
   */
  async readRows(rowIndexes: Iterable<number>, steps: Iterable<number>): Promise<HistoryRow[]> {
    const wantedIndexes = [...new Set(rowIndexes)].sort((a, b) => a - b);
    const wantedSteps = new Set(steps);
    const picked = new Map<number, HistoryRow>(); // by step
    const handle = await open(this.historyPath, 'r');
    try {
      let first = 0; // history row index of the current block's or gap's first row
      let w = 0;
      const parts = [...this.parts()];
      for (const part of parts) {
        const count = part.kind === 'block' ? part.block.rows : part.gap.rows.length;
        const positions: number[] = [];
        while (w < wantedIndexes.length && wantedIndexes[w] < first + count) positions.push(wantedIndexes[w++] - first);
        const stepsHere =
          part.kind === 'block'
            ? [...wantedSteps].filter((s) => s >= part.block.firstStep && s <= part.block.lastStep)
            : [];
        if (part.kind === 'gap') {
          for (const p of positions) addRow(picked, part.gap.rows[p]);
          for (const row of part.gap.rows) if (wantedSteps.has(row._step as number)) addRow(picked, row);
        } else if (positions.length > 0 || stepsHere.length > 0) {
          const lines = await blockLines(handle, part.block, positions, stepsHere.length === 0);
          for (const p of positions) if (lines[p] !== undefined) addRow(picked, parseRow(lines[p]));
          if (stepsHere.length > 0) {
            const prefixes = new Set(stepsHere.map((s) => `{"_step":${s}`));
            for (const line of lines) {
              if (line === undefined) continue;
              const end = line.search(/[,}]/);
              if (prefixes.has(line.slice(0, end))) addRow(picked, parseRow(line));
            }
          }
        }
        first += count;
      }
    } finally {
      await handle.close();
    }
    return [...picked.values()].sort((a, b) => (a._step as number) - (b._step as number));
  }

  /** How many blocks hold rows with a step in `[minStep, maxStep]`. */
  blocksInRange(minStep: number, maxStep: number): number {
    let count = 0;
    for (const block of this.blocks) if (block.lastStep >= minStep && block.firstStep <= maxStep) count++;
    return count;
  }

  /**
   * Every row with a step in `[minStep, maxStep]`, decoded, in order: only the blocks overlapping the range are
   * read (neighbouring blocks in one read), the rows outside blocks come from what `load` read.
   */
  async readStepRange(minStep: number, maxStep: number): Promise<HistoryRow[]> {
    const rows: HistoryRow[] = [];
    const inRange = (row: HistoryRow) => (row._step as number) >= minStep && (row._step as number) <= maxStep;
    const handle = await open(this.historyPath, 'r');
    try {
      let run: { start: number; end: number } | undefined; // neighbouring overlapping blocks, read at once
      const readRun = async () => {
        if (!run) return;
        for (const row of parseRows(await readRange(handle, run.start, run.end))) if (inRange(row)) rows.push(row);
        run = undefined;
      };
      for (const part of this.parts()) {
        if (part.kind === 'gap') {
          await readRun();
          for (const row of part.gap.rows) if (inRange(row)) rows.push(row);
          continue;
        }
        const { block } = part;
        if (block.lastStep < minStep || block.firstStep > maxStep) {
          await readRun();
          continue;
        }
        if (run && run.end === block.start) run.end = block.end;
        else {
          await readRun();
          run = { start: block.start, end: block.end };
        }
      }
      await readRun();
    } finally {
      await handle.close();
    }
    return rows;
  }

  private *parts(): Generator<{ kind: 'block'; block: IndexBlock } | { kind: 'gap'; gap: Gap }> {
    let g = 0;
    for (const block of this.blocks) {
      while (g < this.gaps.length && this.gaps[g].start < block.start) yield { kind: 'gap', gap: this.gaps[g++] };
      yield { kind: 'block', block };
    }
    while (g < this.gaps.length) yield { kind: 'gap', gap: this.gaps[g++] };
  }

  private walk(onBlock: (block: IndexBlock) => void, onRow: (row: HistoryRow) => void): void {
    for (const part of this.parts()) {
      if (part.kind === 'block') onBlock(part.block);
      else for (const row of part.gap.rows) onRow(row);
    }
  }
}

function denseIn(gap: Gap, key: string): boolean {
  return gap.rows.every((row) => typeof row[key] === 'number');
}

function addRow(picked: Map<number, HistoryRow>, row: HistoryRow | undefined): void {
  if (row && typeof row._step === 'number') picked.set(row._step, row);
}

function parseRow(line: string): HistoryRow | undefined {
  try {
    const row = JSON.parse(line);
    return row !== null && typeof row === 'object' ? decodeRow(row) : undefined;
  } catch {
    return undefined;
  }
}

/** Whole rows of a byte range (a torn or damaged line is skipped). */
function parseRows(text: string): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    const row = parseRow(text.slice(start, end));
    if (row && typeof row._step === 'number') rows.push(row);
    start = end + 1;
  }
  return rows;
}

/** The index's blocks, or undefined when they contradict each other or the history file (then it is not used). */
function parseBlocks(text: string, historySize: number): IndexBlock[] | undefined {
  const blocks: IndexBlock[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    const line = text.slice(start, end);
    start = end + 1;
    let raw: RawBlock;
    try {
      raw = JSON.parse(line);
    } catch {
      continue; // a damaged line: its rows are read from history instead
    }
    const block = toBlock(raw);
    if (!block) continue;
    const previous = blocks[blocks.length - 1];
    if ((previous && block.start < previous.end) || block.end > historySize) return undefined;
    blocks.push(block);
  }
  return blocks;
}

interface RawBlock {
  start?: unknown;
  end?: unknown;
  rows?: unknown;
  steps?: unknown;
  keys?: unknown;
}

function toBlock(raw: RawBlock): IndexBlock | undefined {
  const { start, end, rows, steps, keys } = raw ?? {};
  if (!isCount(start) || !isCount(end) || end <= start || !isCount(rows) || rows === 0) return undefined;
  if (!Array.isArray(steps) || !isCount(steps[0]) || !isCount(steps[1])) return undefined;
  if (keys === null || typeof keys !== 'object') return undefined;
  const stats = new Map<string, IndexedKeyStats>();
  for (const [key, value] of Object.entries(keys)) {
    if (!Array.isArray(value) || value.length !== KEY_STATS_FIELDS.length) return undefined;
    const entry = {} as KeyStats;
    for (let i = 0; i < KEY_STATS_FIELDS.length; i++) {
      const number = decodeJsonValue(value[i]);
      if (typeof number !== 'number') return undefined;
      entry[KEY_STATS_FIELDS[i]] = number;
    }
    stats.set(key, entry);
  }
  return { start, end, rows, firstStep: steps[0], lastStep: steps[1], keys: stats };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

async function readRange(handle: FileHandle, start: number, end: number): Promise<string> {
  if (end <= start) return '';
  const buffer = Buffer.allocUnsafe(end - start);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
  return buffer.toString('utf8', 0, bytesRead);
}

/** The `_step` of the line starting at `offset` (undefined when it does not look like a history row). */
async function stepAt(handle: FileHandle, offset: number): Promise<number | undefined> {
  const head = await readRange(handle, offset, offset + 40);
  const match = /^\{"_step":(\d+)[,}]/.exec(head);
  return match ? Number(match[1]) : undefined;
}

/**
 * Lines of a block: all of them, or (`firstOnly` with only position 0 wanted) just the first, read with a small
 * window instead of the whole block.
 */
async function blockLines(
  handle: FileHandle,
  block: IndexBlock,
  positions: number[],
  stepsNotNeeded: boolean,
): Promise<(string | undefined)[]> {
  if (stepsNotNeeded && positions.length === 1 && positions[0] === 0) {
    for (let window = 4096; ; window *= 4) {
      const head = await readRange(handle, block.start, Math.min(block.end, block.start + window));
      const newline = head.indexOf('\n');
      if (newline !== -1) return [head.slice(0, newline)];
      if (block.start + window >= block.end) return [head];
    }
  }
  const text = await readRange(handle, block.start, block.end);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
