import type { HistoryOutlineData, OutlineBlock } from '../access/historyOutlineData.js';
import { keyStatsOf, outlineParts } from '../access/outlineParts.js';
import type { RunRef } from '../access/runData.js';
import type { StoreAccess } from '../access/storeAccess.js';
import type { HistoryRow } from '../historyRows/historyRowText.js';

/** A point of a series: a row's step and the key's value there. */
export interface SeriesPoints {
  steps: number[];
  values: number[];
}

/**
 * The outline of a run's history (its index, from any StoreAccess): each numeric key's first, last, minimum and
 * maximum per block of rows, plus the rows no block covers. It answers a key's extremes and outline without
 * reading every row, and reads only the blocks a range or a chosen row needs.
 */
export class HistoryOutline {
  constructor(
    readonly data: HistoryOutlineData,
    private readonly access: StoreAccess,
    private readonly run: RunRef,
  ) {}

  get blocks(): readonly OutlineBlock[] {
    return this.data.blocks;
  }

  /** Rows described by blocks (the rest, `gapRows`, were read from history). */
  get indexedRows(): number {
    let rows = 0;
    for (const block of this.data.blocks) rows += block.rows;
    return rows;
  }

  get gapRows(): number {
    let rows = 0;
    for (const gap of this.data.gaps) rows += gap.rows.length;
    return rows;
  }

  /** True when every row has a number for `key` (a key logged with each step). */
  isDense(key: string): boolean {
    return (
      this.data.blocks.every((b) => keyStatsOf(b, key)?.count === b.rows) &&
      this.data.gaps.every((g) => g.rows.every((row) => typeof row[key] === 'number'))
    );
  }

  /** How many rows hold a number (not NaN) for `key`. */
  valueCount(key: string): number {
    let count = 0;
    this.walk(
      (block) => {
        count += keyStatsOf(block, key)?.count ?? 0;
      },
      (row) => {
        if (typeof row[key] === 'number' && !Number.isNaN(row[key])) count++;
      },
    );
    return count;
  }

  /**
   * The points that outline a key's series: for each block its first, last, smallest and largest value (at most
   * four real rows), and every row outside the blocks, in step order. M4 downsampling of these points draws the
   * same chart as M4 over every row, at block resolution.
   */
  envelope(key: string): SeriesPoints {
    const out: SeriesPoints = { steps: [], values: [] };
    const push = (step: number, value: number) => {
      const last = out.steps.length - 1;
      if (last >= 0 && out.steps[last] === step) return;
      out.steps.push(step);
      out.values.push(value);
    };
    this.walk(
      (block) => {
        const s = keyStatsOf(block, key);
        if (!s) return;
        const points: [number, number][] = [
          [s.firstStep, s.first],
          [s.minStep, s.min],
          [s.maxStep, s.max],
          [s.lastStep, s.last],
        ];
        points.sort((a, b) => a[0] - b[0]);
        for (const [step, value] of points) push(step, value);
      },
      (row) => {
        const value = row[key];
        if (typeof value === 'number' && !Number.isNaN(value)) push(row._step as number, value);
      },
    );
    return out;
  }

  /** The steps of each key's smallest and largest number over the whole history (NaN ignored). */
  extremeSteps(keys: Iterable<string>): Set<number> {
    const steps = new Set<number>();
    for (const key of keys) {
      let min: { step: number; value: number } | undefined;
      let max: { step: number; value: number } | undefined;
      const see = (step: number, value: number) => {
        if (!min || value < min.value) min = { step, value };
        if (!max || value > max.value) max = { step, value };
      };
      this.walk(
        (block) => {
          const s = keyStatsOf(block, key);
          if (s) {
            see(s.minStep, s.min);
            see(s.maxStep, s.max);
          }
        },
        (row) => {
          const value = row[key];
          if (typeof value === 'number' && !Number.isNaN(value)) see(row._step as number, value);
        },
      );
      if (min) steps.add(min.step);
      if (max) steps.add(max.step);
    }
    return steps;
  }

  /** Numeric keys the blocks and gap rows hold (not `_` keys). */
  numericKeys(): Set<string> {
    const keys = new Set<string>();
    for (const block of this.data.blocks) for (const key of Object.keys(block.keys)) keys.add(key);
    for (const gap of this.data.gaps)
      for (const row of gap.rows)
        for (const key in row) if (typeof row[key] === 'number' && !key.startsWith('_')) keys.add(key);
    return keys;
  }

  /**
   * True when `key`'s values never decrease along the history, judged from each block's first, last, minimum and
   * maximum (and every row outside blocks): a step-like key (tfjs's `batch/batch_step`) that can serve as a
   * chart's x axis the way `_step` does.
   */
  isNonDecreasing(key: string): boolean {
    let previous = Number.NEGATIVE_INFINITY;
    let ok = true;
    this.walk(
      (block) => {
        const s = keyStatsOf(block, key);
        if (!s || !ok) return;
        // Inside a block the values rise when its first is its minimum and its last its maximum.
        if (s.first !== s.min || s.last !== s.max || s.first < previous) ok = false;
        previous = s.last;
      },
      (row) => {
        const value = row[key];
        if (!ok || typeof value !== 'number' || Number.isNaN(value)) return;
        if (value < previous) ok = false;
        previous = value;
      },
    );
    return ok;
  }

  /** How many blocks hold rows with a step in `[minStep, maxStep]`. */
  blocksInRange(minStep: number, maxStep: number): number {
    let count = 0;
    for (const block of this.data.blocks) if (block.lastStep >= minStep && block.firstStep <= maxStep) count++;
    return count;
  }

  /** Chosen rows, by position in the history (0 = first row) and by step, decoded, in step order. */
  readRows(positions: Iterable<number>, steps: Iterable<number>): Promise<HistoryRow[]> {
    return this.access.readHistoryRows(this.run, { positions: [...positions], steps: [...steps] });
  }

  /** Every row with a step in `[minStep, maxStep]`, reading only the blocks that hold them. */
  readStepRange(minStep: number, maxStep: number): Promise<HistoryRow[]> {
    return this.access.readHistoryRange(this.run, minStep, maxStep);
  }

  private walk(onBlock: (block: OutlineBlock) => void, onRow: (row: HistoryRow) => void): void {
    for (const part of outlineParts(this.data)) {
      if (part.kind === 'block') onBlock(part.block);
      else for (const row of part.gap.rows) onRow(row);
    }
  }
}
