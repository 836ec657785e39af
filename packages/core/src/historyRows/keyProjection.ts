import { resolveKeyPath } from '../api/keyPath.js';
import { decodeJsonValue } from '../values/jsonCodec.js';
import { isFlatLine, literalKeys, NOT_FLAT, readFlatValue } from './flatRowReader.js';
import type { HistoryRow } from './historyRowText.js';

/**
 * The rows of a stream that hold every one of `keys` (key paths), reduced to those keys plus `_step` (history)
 * or `_runtime` and `_timestamp` (streams without steps): wandb's scan_history(keys=...). Remembers which keys it
 * saw in any row, so a reader can tell "no row has all of them" from "this key was never logged".
 * On history, flat lines are read without JSON.parse (see flatRowReader.ts).
 */
export class KeyProjection {
  /** seen[i]: keys[i] appeared in a row. */
  readonly seen: boolean[];
  private readonly patterns: string[] | undefined;

  constructor(
    readonly keys: readonly string[],
    stepped: boolean,
  ) {
    this.seen = keys.map(() => false);
    this.patterns = stepped && literalKeys(keys) ? keys.map((k) => `"${k}":`) : undefined;
  }

  /** The projected row of a line; null when it lacks a key; undefined when it is damaged. */
  line(line: string): HistoryRow | null | undefined {
    if (this.patterns) {
      const flat = this.flat(line, this.patterns);
      if (flat !== undefined) return flat;
    }
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return undefined;
    return this.row(row as HistoryRow) ?? null;
  }

  /** The projected row of a parsed row (raw or decoded), or undefined when it lacks a key. */
  row(row: HistoryRow): HistoryRow | undefined {
    const out: HistoryRow =
      row._step !== undefined ? { _step: row._step } : { _runtime: row._runtime, _timestamp: row._timestamp };
    let complete = true;
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i];
      const raw = Object.hasOwn(row, key) ? row[key] : resolveKeyPath(row, key);
      if (raw === undefined) {
        complete = false;
        continue;
      }
      this.seen[i] = true;
      out[key] = raw !== null && typeof raw === 'object' ? decodeJsonValue(raw) : raw;
    }
    return complete ? out : undefined;
  }

  /** The keys seen so far. */
  seenKeys(): string[] {
    return this.keys.filter((_, i) => this.seen[i]);
  }

  /** A flat line read without parsing: the row, null when a key is missing, undefined when it must be parsed. */
  private flat(line: string, patterns: string[]): HistoryRow | null | undefined {
    if (!isFlatLine(line)) return undefined;
    const step = readFlatValue(line, '"_step":');
    if (typeof step !== 'number') return undefined;
    const out: HistoryRow = { _step: step };
    let complete = true;
    for (let i = 0; i < this.keys.length; i++) {
      const value = readFlatValue(line, patterns[i]);
      if (value === NOT_FLAT) return undefined;
      if (value === undefined) {
        complete = false;
        continue;
      }
      this.seen[i] = true;
      out[this.keys[i]] = value;
    }
    return complete ? out : null;
  }
}
