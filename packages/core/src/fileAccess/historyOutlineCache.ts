import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryOutlineData, HistoryRowsQuery } from '../access/historyOutlineData.js';
import type { HistoryRow } from '../historyRows/historyRowText.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { loadHistoryOutline, readOutlinedRange, readOutlinedRows } from './historyIndexFile.js';
import { scanHistoryRange, scanHistoryRows } from './historyRowScan.js';

/** Outlines kept (each holds its gaps' rows, at most 16 MiB of history). */
const MAX_ENTRIES = 32;

/**
 * Loaded history indexes by run folder, reloaded when history.jsonl or history-index.jsonl changed: an outline
 * and the reads of its blocks that follow it (a chart, then a zoom) load the index once.
 */
export class HistoryOutlineCache {
  private readonly entries = new Map<string, { stamp: string; outline: HistoryOutlineData | undefined }>();

  async get(runDir: string): Promise<HistoryOutlineData | undefined> {
    const history = join(runDir, RUN_FILES.history);
    const index = join(runDir, RUN_FILES.historyIndex);
    const stamp = (await Promise.all([history, index].map((p) => stat(p).then(stampOf, () => '-')))).join('|');
    const cached = this.entries.get(runDir);
    if (cached?.stamp === stamp) {
      this.entries.delete(runDir); // most recently used last
      this.entries.set(runDir, cached);
      return cached.outline;
    }
    const outline = await loadHistoryOutline(history, index);
    this.entries.delete(runDir);
    this.entries.set(runDir, { stamp, outline });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return outline;
  }

  /** Chosen rows of a history: from its index's blocks, or by reading the rows when it has no usable index. */
  async readRows(runDir: string, query: HistoryRowsQuery): Promise<HistoryRow[]> {
    const history = join(runDir, RUN_FILES.history);
    const outline = await this.get(runDir);
    return outline ? readOutlinedRows(history, outline, query) : scanHistoryRows(history, query);
  }

  /** The rows of a step range: from its index's blocks, or by reading the rows when it has no usable index. */
  async readRange(runDir: string, minStep: number, maxStep: number): Promise<HistoryRow[]> {
    const history = join(runDir, RUN_FILES.history);
    const outline = await this.get(runDir);
    return outline
      ? readOutlinedRange(history, outline, minStep, maxStep)
      : scanHistoryRange(history, minStep, maxStep);
  }

  forget(runDir: string): void {
    this.entries.delete(runDir);
  }
}

const stampOf = (s: { mtimeMs: number; size: number }) => `${s.mtimeMs}:${s.size}`;
