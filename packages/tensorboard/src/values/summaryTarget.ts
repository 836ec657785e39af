import type { JsonObject } from '@runlog/core';

/** Where the values of a run go, one kind at a time (an event being encoded, a test's list...). */
export interface SummaryTarget {
  scalar(tag: string, value: number): void;
  histogram(tag: string, edges: ArrayLike<number>, counts: ArrayLike<number>): void;
  text(tag: string, text: string): void;
  /** Image references (`image-file` JSON): their bytes are read and encoded later, asynchronously. */
  images(tag: string, refs: JsonObject[]): void;
  /** A value TensorBoard has no place for (video, table, a date...): counted by kind. */
  skip(kind: string): void;
}

/** Counts of values left out, by kind. */
export type SkipCounts = Record<string, number>;

export function countSkip(counts: SkipCounts, kind: string): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}
