import { InvalidValueError } from '../errors/runlogError.js';
import { decodeJsonValue } from '../values/jsonCodec.js';
import { isFlatLine, literalKeys, NOT_FLAT, readFlatValue } from './flatRowReader.js';
import { resolveKeyPath } from './keyPath.js';
import { readLineChunks, seekStep } from './lineChunks.js';

/** One history (or system) row, values decoded (NaN, ±Infinity, -0 and dates restored). */
export type HistoryRow = Record<string, unknown>;

export interface ScanHistoryOptions {
  /** Only rows holding every one of these key paths, with just these keys and `_step`. Default: all keys. */
  keys?: readonly string[];
  /** Rows read per page (what `pages()` yields). Default 1000. */
  pageSize?: number;
  /** First step to read (inclusive). */
  minStep?: number;
  /** Step to stop before (exclusive), as wandb's `max_step`. */
  maxStep?: number;
  /** Reports bytes read so far and the file size (for progress bars). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface HistorySource {
  /** The JSON-lines file to read. */
  path: string;
  /** Whether rows carry `_step` (history) or not (system metrics). */
  stepped: boolean;
  /** Keys known from elsewhere (the summary), so a key never seen in the scanned range can still be valid. */
  knownKey: (key: string) => boolean;
  /** Lists the keys a run has, for the message when a requested key is absent. */
  availableKeys: () => string[];
}

/**
 * A streaming read of a run's history: iterate it row by row (`for await (const row of scan)`) or page by page
 * (`for await (const page of scan.pages())`). Memory stays bounded by one read chunk plus one page, so
 * histories larger than memory stream fine. Damaged lines in the middle are skipped and counted in
 * `skippedLines`; a torn last line is ignored. Asking for a key the run never logged is an INVALID_KEY error.
 */
export class HistoryScan implements AsyncIterable<HistoryRow> {
  /** Lines that did not parse (a damaged store), counted as the scan goes. */
  skippedLines = 0;

  constructor(
    private readonly source: HistorySource,
    private readonly options: ScanHistoryOptions = {},
  ) {
    const { keys, pageSize, minStep, maxStep } = options;
    if (keys !== undefined && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k === ''))) {
      throw new InvalidValueError(
        'keys must be an array of metric names, like ["loss", "val/acc"]',
        'INVALID_ARGUMENT',
      );
    }
    if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0)) {
      throw new InvalidValueError(`pageSize must be a positive integer, got ${pageSize}`, 'INVALID_ARGUMENT');
    }
    for (const [name, value] of [
      ['minStep', minStep],
      ['maxStep', maxStep],
    ] as const) {
      if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
        throw new InvalidValueError(`${name} must be a number, got ${String(value)}`, 'INVALID_ARGUMENT');
      }
    }
  }

  async *pages(): AsyncGenerator<HistoryRow[]> {
    const { source } = this;
    const keys = this.options.keys;
    const pageSize = this.options.pageSize ?? 1000;
    const minStep = source.stepped ? (this.options.minStep ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
    const maxStep = source.stepped ? (this.options.maxStep ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    const seen = keys ? keys.map(() => false) : [];
    // With a few keys on a stepped stream, flat lines are read without JSON.parse (see flatRowReader.ts).
    const fast =
      keys && source.stepped && literalKeys(keys)
        ? { keys, patterns: keys.map((k) => `"${k}":`), step: '"_step":' }
        : undefined;
    const start = minStep > 0 ? await seekStep(source.path, minStep) : 0;
    let page: HistoryRow[] = [];
    let stopped = false;
    chunks: for await (const text of readLineChunks(source.path, { start, onProgress: this.options.onProgress })) {
      let lineStart = 0;
      let lineEnd = text.indexOf('\n');
      while (lineEnd !== -1) {
        const line = text.slice(lineStart, lineEnd);
        lineStart = lineEnd + 1;
        lineEnd = text.indexOf('\n', lineStart);
        if (fast) {
          const out = projectFlat(line, fast, seen);
          if (out === null) continue; // a flat row without every key
          if (out !== undefined) {
            const step = out._step as number;
            if (step < minStep) continue;
            if (step >= maxStep) {
              stopped = true;
              break chunks;
            }
            page.push(out);
            if (page.length >= pageSize) {
              yield page;
              page = [];
            }
            continue;
          }
        }
        let row: HistoryRow;
        try {
          row = JSON.parse(line);
        } catch {
          if (line.length > 0) this.skippedLines++;
          continue;
        }
        if (row === null || typeof row !== 'object') {
          this.skippedLines++;
          continue;
        }
        const step = row._step as number;
        if (step < minStep) continue;
        if (step >= maxStep) {
          stopped = true;
          break chunks;
        }
        // A line without a nested object has nothing to decode (NaN, dates... are written as objects).
        const out = keys ? project(row, keys, seen) : line.indexOf('{', 1) === -1 ? row : decodeRow(row);
        if (out === undefined) continue;
        page.push(out);
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
    }
    if (page.length > 0) yield page;
    if (keys) {
      // A key unseen in a partial range may still exist further on: then the summary vouches for it.
      const partial = stopped || minStep > Number.NEGATIVE_INFINITY;
      const unknown = keys.filter((k, i) => !seen[i] && (!partial || !source.knownKey(k)));
      if (unknown.length > 0) throw absentKeys(unknown, source.availableKeys());
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<HistoryRow> {
    const pages = this.pages();
    let page: HistoryRow[] = [];
    let index = 0;
    const nextPage = async (): Promise<IteratorResult<HistoryRow>> => {
      while (index >= page.length) {
        const result = await pages.next();
        if (result.done) return { done: true, value: undefined };
        page = result.value;
        index = 0;
      }
      return { done: false, value: page[index++] };
    };
    return {
      // Rows of the current page resolve at once, without an async function per row.
      next: () => (index < page.length ? Promise.resolve({ done: false, value: page[index++] }) : nextPage()),
      return: async () => {
        await pages.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }

  /** Collects every row (for small histories; prefer iterating for large ones). */
  async toArray(): Promise<HistoryRow[]> {
    const rows: HistoryRow[] = [];
    for await (const page of this.pages()) for (const row of page) rows.push(row);
    return rows;
  }
}

/** The requested keys of a row, or undefined when one is missing (wandb: rows that hold all the keys). */
export function project(row: HistoryRow, keys: readonly string[], seen: boolean[]): HistoryRow | undefined {
  const out: HistoryRow =
    row._step !== undefined ? { _step: row._step } : { _runtime: row._runtime, _timestamp: row._timestamp };
  let complete = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const raw = Object.hasOwn(row, key) ? row[key] : resolveKeyPath(row, key);
    if (raw === undefined) {
      complete = false;
      continue;
    }
    seen[i] = true;
    out[key] = raw !== null && typeof raw === 'object' ? decodeJsonValue(raw) : raw;
  }
  return complete ? out : undefined;
}

interface FastKeys {
  keys: readonly string[];
  patterns: string[];
  step: string;
}

/**
 * The requested keys of a flat line read without parsing it: the row, null when a key is missing, or
 * undefined when the line is not flat (or not readable that way) and must go through JSON.parse.
 */
function projectFlat(line: string, fast: FastKeys, seen: boolean[]): HistoryRow | null | undefined {
  if (!isFlatLine(line)) return undefined;
  const step = readFlatValue(line, fast.step);
  if (typeof step !== 'number') return undefined;
  const out: HistoryRow = { _step: step };
  let complete = true;
  for (let i = 0; i < fast.keys.length; i++) {
    const value = readFlatValue(line, fast.patterns[i]);
    if (value === NOT_FLAT) return undefined;
    if (value === undefined) {
      complete = false;
      continue;
    }
    seen[i] = true;
    out[fast.keys[i]] = value;
  }
  return complete ? out : null;
}

/** decodeJsonValue for a whole row, touching only the values that are objects (most are plain numbers). */
export function decodeRow(row: HistoryRow): HistoryRow {
  for (const key in row) {
    const value = row[key];
    if (value !== null && typeof value === 'object') row[key] = decodeJsonValue(value);
  }
  return row;
}

export function absentKeys(keys: readonly string[], available: readonly string[]): InvalidValueError {
  const list = available.length > 0 ? available.slice(0, 30).join(', ') : '(none: nothing was logged)';
  return new InvalidValueError(
    `no history row has ${keys.map((k) => JSON.stringify(k)).join(', ')}; logged keys are: ${list}`,
    'INVALID_KEY',
  );
}
