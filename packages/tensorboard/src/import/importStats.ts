import type { SkipCounts } from '../values/summaryTarget.js';

/** What reading event files found, for the import's report. */
export interface ImportStats {
  /** Event records read whole with matching crcs. */
  records: number;
  /** Summary values turned into runlog values. */
  values: number;
  /** Records whose data crc did not match: skipped (TensorBoard's rule), counted here. */
  badCrcRecords: number;
  /** Bytes skipped to find a record header again after a header whose crc did not match. */
  skippedBytes: number;
  /** Files that end inside a record: read up to their last whole record. */
  truncatedFiles: number;
  /** Records or values with intact crcs that still did not decode. */
  malformed: number;
  /** Values left out, by reason: plugins runlog does not import (audio, pr_curves...), graphs, empty values. */
  skipped: SkipCounts;
  /** Histograms whose buckets were merged to fit runlog's bins (over 512, or edges that did not increase). */
  mergedHistograms: number;
  /** Values dropped because a restarted writer went back to an earlier step (TensorBoard's purge). */
  purged: number;
}

export function emptyStats(): ImportStats {
  return {
    records: 0,
    values: 0,
    badCrcRecords: 0,
    skippedBytes: 0,
    truncatedFiles: 0,
    malformed: 0,
    skipped: {},
    mergedHistograms: 0,
    purged: 0,
  };
}

/** Adds `more` into `into`. */
export function addStats(into: ImportStats, more: ImportStats): void {
  into.records += more.records;
  into.values += more.values;
  into.badCrcRecords += more.badCrcRecords;
  into.skippedBytes += more.skippedBytes;
  into.truncatedFiles += more.truncatedFiles;
  into.malformed += more.malformed;
  into.mergedHistograms += more.mergedHistograms;
  into.purged += more.purged;
  for (const [kind, count] of Object.entries(more.skipped)) into.skipped[kind] = (into.skipped[kind] ?? 0) + count;
}
