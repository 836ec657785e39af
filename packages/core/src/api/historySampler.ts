import type { HistoryRow } from './historyScan.js';

interface Extreme {
  minIndex: number;
  minValue: number;
  minRow: HistoryRow;
  maxIndex: number;
  maxValue: number;
  maxRow: HistoryRow;
}

/**
 * Picks about `samples` rows from a stream in one pass and bounded memory: an even spread (every `stride`-th
 * row, the stride doubling whenever the spread outgrows the budget), plus rows that must never be lost: the
 * first, the last, and for each key the rows holding its smallest and largest number (NaN ignored).
 * Returns at most max(samples, number of those must-keep rows) rows, in history order.
 */
export class HistorySampler {
  private stride = 1;
  private count = 0;
  private spread: { index: number; row: HistoryRow }[] = [];
  private first: HistoryRow | undefined;
  private last: HistoryRow | undefined;
  private readonly extremes = new Map<string, Extreme>();

  constructor(
    private readonly samples: number,
    /** The keys whose extremes are kept; undefined: every numeric key not starting with `_`. */
    private readonly keys?: readonly string[],
  ) {}

  add(row: HistoryRow): void {
    const index = this.count++;
    if (index === 0) this.first = row;
    this.last = row;
    if (index % this.stride === 0) {
      this.spread.push({ index, row });
      if (this.spread.length > 2 * this.samples) {
        this.stride *= 2;
        this.spread = this.spread.filter((s) => s.index % this.stride === 0);
      }
    }
    if (this.keys) {
      for (const key of this.keys) this.track(key, row[key], index, row);
    } else {
      for (const key in row) if (key.charCodeAt(0) !== 95 /* _ */) this.track(key, row[key], index, row);
    }
  }

  private track(key: string, value: unknown, index: number, row: HistoryRow): void {
    if (typeof value !== 'number' || Number.isNaN(value)) return;
    const extreme = this.extremes.get(key);
    if (!extreme) {
      this.extremes.set(key, {
        minIndex: index,
        minValue: value,
        minRow: row,
        maxIndex: index,
        maxValue: value,
        maxRow: row,
      });
      return;
    }
    if (value < extreme.minValue) {
      extreme.minIndex = index;
      extreme.minValue = value;
      extreme.minRow = row;
    }
    if (value > extreme.maxValue) {
      extreme.maxIndex = index;
      extreme.maxValue = value;
      extreme.maxRow = row;
    }
  }

  /** The chosen rows, in the order they were added. */
  result(): HistoryRow[] {
    if (this.count === 0) return [];
    const required = new Map<number, HistoryRow>();
    required.set(0, this.first!);
    required.set(this.count - 1, this.last!);
    for (const e of this.extremes.values()) {
      required.set(e.minIndex, e.minRow);
      required.set(e.maxIndex, e.maxRow);
    }
    const optional = this.spread.filter((s) => !required.has(s.index));
    const room = Math.max(0, this.samples - required.size);
    const chosen = new Map(required);
    if (optional.length <= room) {
      for (const s of optional) chosen.set(s.index, s.row);
    } else if (room > 0) {
      // Thin the spread evenly to the room left, keeping its ends.
      for (let j = 0; j < room; j++) {
        const s = optional[room === 1 ? 0 : Math.round((j * (optional.length - 1)) / (room - 1))];
        chosen.set(s.index, s.row);
      }
    }
    return [...chosen.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  }
}
