import { readFile } from 'node:fs/promises';
import { type HistoryRow, parseHistoryLine } from '../historyRows/historyRowText.js';
import { NEWLINE } from '../jsonLines/lineBytes.js';

/** history.jsonl split at a step: the bytes and rows up to it (inclusive), and the file's size. */
export interface HistoryCut {
  /** Bytes of the rows with `_step <= step` (history is in step order, so they are a prefix). */
  keptBytes: number;
  keptRows: HistoryRow[];
  size: number;
}

/**
 * Splits a history file after the last row at or below `step`. Reads the file once (rewind and fork are
 * one-off operations at init); damaged lines are skipped, a torn last line is left out of the kept part.
 */
export async function cutHistory(path: string, step: number): Promise<HistoryCut> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { keptBytes: 0, keptRows: [], size: 0 };
    throw error;
  }
  const keptRows: HistoryRow[] = [];
  let keptBytes = 0;
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) break; // torn last line
    const row = parseHistoryLine(bytes.toString('utf8', start, end));
    if (row && typeof row._step === 'number') {
      if (row._step > step) break;
      keptRows.push(row);
    }
    start = end + 1;
    keptBytes = start;
  }
  return { keptBytes, keptRows, size: bytes.length };
}
