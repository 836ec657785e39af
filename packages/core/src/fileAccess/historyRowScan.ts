import type { HistoryRowsQuery } from '../access/historyOutlineData.js';
import { type HistoryRow, parseHistoryRows } from '../historyRows/historyRowText.js';
import { readLineChunks } from '../jsonLines/lineChunks.js';
import { seekStep } from '../jsonLines/seekStep.js';

/** Every row of a history with a step in `[minStep, maxStep]`, read from the rows (a history without index). */
export async function scanHistoryRange(path: string, minStep: number, maxStep: number): Promise<HistoryRow[]> {
  const rows: HistoryRow[] = [];
  const start = minStep > 0 ? await seekStep(path, minStep) : 0;
  for await (const text of readLineChunks(path, { start })) {
    for (const row of parseHistoryRows(text)) {
      const step = row._step as number;
      if (step > maxStep) return rows;
      if (step >= minStep) rows.push(row);
    }
  }
  return rows;
}

/** Rows chosen by position and step, read from the rows (a history without index), in step order. */
export async function scanHistoryRows(path: string, query: HistoryRowsQuery): Promise<HistoryRow[]> {
  const positions = new Set(query.positions ?? []);
  const steps = new Set(query.steps ?? []);
  const picked = new Map<number, HistoryRow>();
  let position = 0;
  for await (const text of readLineChunks(path)) {
    for (const row of parseHistoryRows(text)) {
      if (positions.has(position++) || steps.has(row._step as number)) picked.set(row._step as number, row);
    }
  }
  return [...picked.values()].sort((a, b) => (a._step as number) - (b._step as number));
}
