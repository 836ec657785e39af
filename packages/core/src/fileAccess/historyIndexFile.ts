import { type FileHandle, open, readFile } from 'node:fs/promises';
import type { HistoryOutlineData, HistoryRowsQuery, KeyStats, OutlineBlock } from '../access/historyOutlineData.js';
import { outlineParts } from '../access/outlineParts.js';
import { KEY_STATS_FIELDS } from '../history/blockIndex.js';
import { type HistoryRow, leadingStep, parseHistoryLine, parseHistoryRows } from '../historyRows/historyRowText.js';
import { readFully } from '../jsonLines/lineBytes.js';
import { readWholeLines } from '../jsonLines/lineWindow.js';
import { decodeJsonValue } from '../values/jsonCodec.js';

/** Past this many unindexed bytes an index is not used: its gaps would be read whole, and kept, on each load. */
const MAX_GAP_BYTES = 16 << 20;

/**
 * Loads the history index of a run (docs/FORMAT.md, history-index.jsonl), checked against history.jsonl: blocks
 * in byte order that do not overlap, end inside the file, and start with the step they claim. The bytes between
 * and after them (rows of a session that crashed before its block was indexed, a live run's newest rows) are
 * read as rows, so the outline covers the whole history. Undefined when there is no usable index.
 */
export async function loadHistoryOutline(
  historyPath: string,
  indexPath: string,
): Promise<HistoryOutlineData | undefined> {
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
      if (leadingStep(await readPrefix(handle, block.start, 40)) !== block.firstStep) return undefined;
    }
    const gaps: HistoryOutlineData['gaps'] = [];
    let covered = 0;
    for (const block of blocks) {
      if (block.start > covered) gaps.push({ start: covered, end: block.start, rows: [] });
      covered = block.end;
    }
    if (covered < size) gaps.push({ start: covered, end: size, rows: [] });
    // Mostly unindexed (a history written before indexes existed, then resumed): reading it is the rows' job.
    if (gaps.reduce((bytes, gap) => bytes + gap.end - gap.start, 0) > MAX_GAP_BYTES) return undefined;
    for (const gap of gaps) gap.rows = parseHistoryRows(await readSpan(handle, size, gap.start, gap.end));
    return { historyBytes: size, blocks, gaps };
  } finally {
    await handle.close();
  }
}

/**
 * Reads chosen rows of an outlined history: by position (0 = first row) and by step. Only the blocks holding them
 * are read; gap rows come from the outline. Rows come back decoded, in step order.
 */
export async function readOutlinedRows(
  historyPath: string,
  outline: HistoryOutlineData,
  query: HistoryRowsQuery,
): Promise<HistoryRow[]> {
  const wantedPositions = [...new Set(query.positions ?? [])].sort((a, b) => a - b);
  const wantedSteps = new Set(query.steps ?? []);
  const picked = new Map<number, HistoryRow>(); // by step
  const handle = await open(historyPath, 'r');
  try {
    const size = (await handle.stat()).size;
    let first = 0; // history position of the current block's or gap's first row
    let w = 0;
    for (const part of outlineParts(outline)) {
      const count = part.kind === 'block' ? part.block.rows : part.gap.rows.length;
      const positions: number[] = [];
      while (w < wantedPositions.length && wantedPositions[w] < first + count)
        positions.push(wantedPositions[w++] - first);
      if (part.kind === 'gap') {
        for (const p of positions) addRow(picked, part.gap.rows[p]);
        for (const row of part.gap.rows) if (wantedSteps.has(row._step as number)) addRow(picked, row);
      } else {
        const { block } = part;
        const stepsHere = [...wantedSteps].filter((s) => s >= block.firstStep && s <= block.lastStep);
        if (positions.length > 0 || stepsHere.length > 0) {
          const lines = await blockLines(handle, size, block, positions, stepsHere.length === 0);
          for (const p of positions) if (lines[p] !== undefined) addRow(picked, parseHistoryLine(lines[p]));
          if (stepsHere.length > 0) {
            const steps = new Set(stepsHere);
            for (const line of lines) {
              const step = leadingStep(line);
              if (step !== undefined && steps.has(step)) addRow(picked, parseHistoryLine(line));
            }
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

/**
 * Every row with a step in `[minStep, maxStep]`, decoded, in order: only the blocks overlapping the range are
 * read (neighbouring blocks in one read); the rows outside blocks come from the outline.
 */
export async function readOutlinedRange(
  historyPath: string,
  outline: HistoryOutlineData,
  minStep: number,
  maxStep: number,
): Promise<HistoryRow[]> {
  const rows: HistoryRow[] = [];
  const inRange = (row: HistoryRow) => (row._step as number) >= minStep && (row._step as number) <= maxStep;
  const handle = await open(historyPath, 'r');
  try {
    const size = (await handle.stat()).size;
    let run: { start: number; end: number } | undefined; // neighbouring overlapping blocks, read at once
    const readRun = async () => {
      if (!run) return;
      for (const row of parseHistoryRows(await readSpan(handle, size, run.start, run.end)))
        if (inRange(row)) rows.push(row);
      run = undefined;
    };
    for (const part of outlineParts(outline)) {
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

function addRow(picked: Map<number, HistoryRow>, row: HistoryRow | undefined): void {
  if (row && typeof row._step === 'number') picked.set(row._step, row);
}

/** The index's blocks, or undefined when they contradict each other or the history file (then it is not used). */
function parseBlocks(text: string, historySize: number): OutlineBlock[] | undefined {
  const blocks: OutlineBlock[] = [];
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

function toBlock(raw: RawBlock): OutlineBlock | undefined {
  const { start, end, rows, steps, keys } = raw ?? {};
  if (!isCount(start) || !isCount(end) || end <= start || !isCount(rows) || rows === 0) return undefined;
  if (!Array.isArray(steps) || !isCount(steps[0]) || !isCount(steps[1])) return undefined;
  if (keys === null || typeof keys !== 'object') return undefined;
  const stats: Record<string, KeyStats> = {};
  for (const [key, value] of Object.entries(keys)) {
    if (!Array.isArray(value) || value.length !== KEY_STATS_FIELDS.length) return undefined;
    const entry = {} as KeyStats;
    for (let i = 0; i < KEY_STATS_FIELDS.length; i++) {
      const number = decodeJsonValue(value[i]);
      if (typeof number !== 'number') return undefined;
      entry[KEY_STATS_FIELDS[i]] = number;
    }
    Object.defineProperty(stats, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return { start, end, rows, firstStep: steps[0], lastStep: steps[1], keys: stats };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The first bytes at `offset` (to read a row's leading step without reading the row). */
async function readPrefix(handle: FileHandle, offset: number, length: number): Promise<string> {
  const buffer = Buffer.allocUnsafe(length);
  return buffer.toString('utf8', 0, await readFully(handle, buffer, 0, length, offset));
}

/** The whole lines of the history bytes `[start, end)` (a block or a gap: they start and end at line starts). */
async function readSpan(handle: FileHandle, size: number, start: number, end: number): Promise<string> {
  return end > start ? (await readWholeLines(handle, size, start, { maxBytes: end - start })).text : '';
}

/**
 * Lines of a block: all of them, or (only position 0 wanted, no steps) just the first, read with a small window
 * instead of the whole block.
 */
async function blockLines(
  handle: FileHandle,
  size: number,
  block: OutlineBlock,
  positions: number[],
  stepsNotNeeded: boolean,
): Promise<string[]> {
  if (stepsNotNeeded && positions.length === 1 && positions[0] === 0) {
    const { text } = await readWholeLines(handle, size, block.start, { maxBytes: 4096 });
    return [text.slice(0, text.indexOf('\n'))];
  }
  const lines = (await readSpan(handle, size, block.start, block.end)).split('\n');
  lines.pop(); // '' after the last newline
  return lines;
}
