import type { HistoryRow } from './historyScan.js';

/** What one export column holds, learnt in a first pass over the history. */
export interface ColumnProfile {
  name: string;
  integers: boolean;
  numbers: boolean;
  booleans: boolean;
  strings: boolean;
  dates: boolean;
  others: boolean;
}

/** Columns in first-seen order with `_step`, `_runtime`, `_timestamp` first, and the kinds of value each holds. */
export class HistoryColumns {
  private readonly profiles = new Map<string, ColumnProfile>();

  add(row: HistoryRow): void {
    for (const name in row) {
      const value = row[name];
      if (value === undefined || value === null) continue;
      let profile = this.profiles.get(name);
      if (!profile) {
        profile = {
          name,
          integers: false,
          numbers: false,
          booleans: false,
          strings: false,
          dates: false,
          others: false,
        };
        this.profiles.set(name, profile);
      }
      if (typeof value === 'number') {
        if (Number.isSafeInteger(value) && !Object.is(value, -0)) profile.integers = true;
        else profile.numbers = true;
      } else if (typeof value === 'boolean') profile.booleans = true;
      else if (typeof value === 'string') profile.strings = true;
      else if (value instanceof Date) profile.dates = true;
      else profile.others = true;
    }
  }

  list(): ColumnProfile[] {
    const order = ['_step', '_runtime', '_timestamp'];
    const all = [...this.profiles.values()];
    const reserved = order.map((n) => this.profiles.get(n)).filter((p): p is ColumnProfile => p !== undefined);
    return [...reserved, ...all.filter((p) => !order.includes(p.name))];
  }
}
