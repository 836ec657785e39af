import { parseRowLine } from '../jsonLines/jsonLineRows.js';
import { findLastLineSync } from '../jsonLines/lastLine.js';

/** One history (or system) row, values decoded (NaN, ±Infinity, -0 and dates restored). */
export type HistoryRow = Record<string, unknown>;

/**
 * Every history row begins with its step, `{"_step":<n>,` (docs/FORMAT.md, history.jsonl): readers find a row's
 * step from its first bytes, to seek and to spot-check the index, without parsing the row.
 */
const LEADING_STEP = /^\{"_step":(\d+)[,}]/;

/** The `_step` a history line starts with, read from its first bytes; undefined when it does not start so. */
export function leadingStep(text: string): number | undefined {
  const match = LEADING_STEP.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The `_step` of a history line: from its first bytes, else by parsing it; undefined for a damaged line. */
export function stepOfLine(line: string): number | undefined {
  const leading = leadingStep(line);
  if (leading !== undefined) return leading;
  const step = parseRowLine(line)?._step;
  return typeof step === 'number' ? step : undefined;
}

/** A history line as a row, or undefined when it is damaged or has no numeric `_step`. */
export function parseHistoryLine(line: string): HistoryRow | undefined {
  const row = parseRowLine(line);
  return row && typeof row._step === 'number' ? row : undefined;
}

/** The last row of a history file with a numeric `_step` (torn and damaged lines passed over), read from its end. */
export function lastHistoryRowSync(path: string): HistoryRow | undefined {
  return findLastLineSync(path, parseHistoryLine);
}

/** The history rows of whole lines (`text` as a line reader returns it); damaged lines and rows without step skipped. */
export function parseHistoryRows(text: string): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    const row = parseHistoryLine(text.slice(start, end));
    if (row) rows.push(row);
    start = end + 1;
  }
  return rows;
}
