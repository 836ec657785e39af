import type { ParsedRows } from '../jsonLines/jsonLineRows.js';
import { FLAT_ROW, ROW_END, RowBytesCursor } from './rowBytesCursor.js';

/**
 * The rows of whole lines read from their UTF-8 bytes: what `parseRows` makes of the same text (the same objects,
 * keys in the same order, damaged lines skipped by the same rule), about 1.4x as fast for lines of numbers, which
 * RowBytesCursor reads without JSON.parse or decoding the text. `stepped`: the history stream (rows of numbers
 * need a `_step` to be read that way).
 */
export function parseRowBytes(bytes: Uint8Array, stepped: boolean): ParsedRows {
  const cursor = new RowBytesCursor(stepped);
  cursor.reset(bytes);
  const rows: Record<string, unknown>[] = [];
  for (let kind = cursor.next(); kind !== ROW_END; kind = cursor.next()) {
    rows.push(kind === FLAT_ROW ? cursor.flatObject() : cursor.parsed);
  }
  return { rows, skipped: cursor.skipped };
}
