import { isUtf8 } from 'node:buffer';
import { type HistoryBlock, observeRow } from './historyBlocks.js';
import { wellFormed } from './jsonLineBatch.js';

/**
 * The history rows of one batch, scanned once: for every line that is a JSON object with an integer `_step`,
 * its step and its bytes `[start, end)` in the batch (without the `\n`); the block statistics of those rows.
 * Damaged lines (do not parse, not an object, no integer `_step`) and empty lines are left out, as the store's
 * readers skip them. Nothing is copied per row: the rows' text stays in the batch's bytes.
 */
export interface HistoryScan {
  count: number;
  steps: number[];
  starts: number[];
  ends: number[];
  /** Every step greater than the one before it (no step twice in the batch). */
  increasing: boolean;
  /** The batch is valid UTF-8 (its bytes can go to PostgreSQL as they are). */
  utf8: boolean;
  /** Rows rewritten with U+FFFD where jsonb cannot hold a character (by row index); rare. */
  rewritten: Map<number, string>;
  blocks: Map<number, HistoryBlock>;
  /** The row's JSON text, as PostgreSQL is to store it. */
  text(index: number): string;
}

const NEWLINE = 0x0a;
/** JSON escapes PostgreSQL cannot hold: NUL, and UTF-16 surrogates (lone ones fail; pairs are rare). */
const JSON_UNSAFE = /\\u0000|\\ud[89a-f]/i;

/**
 * Scans the whole lines of `bytes` (the batch starts at byte `at` of the client's file; the run already has
 * `rowCount` rows, so the first row here is row `rowCount` for the block numbering).
 */
export function scanHistory(bytes: Buffer, at: number, rowCount: number): HistoryScan {
  const whole = bytes.lastIndexOf(NEWLINE) + 1;
  const text = bytes.toString('utf8', 0, whole);
  const utf8 = isUtf8(bytes.subarray(0, whole));
  // One byte per character (ASCII, the usual case): string positions are byte positions, slices are cheap. (A
  // byte that is not UTF-8 also decodes to one character, U+FFFD: hence the UTF-8 check first.)
  const ascii = utf8 && text.length === whole;
  const unsafe = bytes.indexOf('\\u') !== -1 && JSON_UNSAFE.test(text);
  const lineText = ascii
    ? (start: number, end: number) => text.slice(start, end)
    : (start: number, end: number) => bytes.toString('utf8', start, end);
  const scan: HistoryScan = {
    count: 0,
    steps: [],
    starts: [],
    ends: [],
    increasing: true,
    utf8,
    rewritten: new Map(),
    blocks: new Map(),
    text: (index) => scan.rewritten.get(index) ?? lineText(scan.starts[index], scan.ends[index]),
  };
  let lastStep = Number.NEGATIVE_INFINITY;
  for (let start = 0; start < whole; ) {
    const end = bytes.indexOf(NEWLINE, start);
    const next = end + 1;
    if (end > start) {
      const line = lineText(start, end);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        let row = value as Record<string, unknown>;
        const step = row._step;
        if (typeof step === 'number' && Number.isSafeInteger(step)) {
          const index = scan.count++;
          if (unsafe && JSON_UNSAFE.test(line)) {
            // Rare: the row is stored with U+FFFD for what PostgreSQL refuses (docs/PROTOCOL.md).
            row = wellFormed(row) as Record<string, unknown>;
            scan.rewritten.set(index, JSON.stringify(row));
          }
          if (step <= lastStep) scan.increasing = false;
          lastStep = step;
          scan.steps.push(step);
          scan.starts.push(start);
          scan.ends.push(end);
          observeRow(scan.blocks, rowCount + index, { offset: at + start, end: at + next }, step, row);
        }
      }
    }
    start = next;
  }
  return scan;
}
