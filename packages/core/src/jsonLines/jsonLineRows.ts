import { decodeRow } from '../values/jsonCodec.js';

/**
 * The one torn/damaged-line rule of runlog's JSON-lines streams (docs/FORMAT.md, "Writing rules"):
 * - a line is complete once its '\n' is written; the bytes after the last '\n' are a line still being written, or
 *   torn by a crash: never read as a row (readers stop before them: lineWindow.ts, lineChunks.ts, lastLine.ts);
 * - a complete line that is not a JSON object is damaged: skipped and counted, and reading goes on;
 * - an empty line is nothing: skipped, not counted.
 * Rows come back decoded with runlog's value codec (NaN, ±Infinity, -0, dates restored).
 */
export function parseRowLine(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  // A line without a nested object has nothing to decode (NaN, dates... are written as objects).
  return line.indexOf('{', 1) === -1 ? (value as Record<string, unknown>) : decodeRow(value as Record<string, unknown>);
}

export interface ParsedRows {
  rows: Record<string, unknown>[];
  /** Damaged lines skipped. */
  skipped: number;
}

/** The rows of whole lines (`text` as a line reader returns it: complete lines, each ending in '\n'). */
export function parseRows(text: string, into: ParsedRows = { rows: [], skipped: 0 }): ParsedRows {
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    if (end > start) {
      const row = parseRowLine(text.slice(start, end));
      if (row) into.rows.push(row);
      else into.skipped++;
    }
    start = end + 1;
  }
  return into;
}
