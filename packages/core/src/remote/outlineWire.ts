import type { HistoryOutlineData, KeyStats, OutlineBlock } from '../access/historyOutlineData.js';

/** A block as the server's compact outline sends it: `[start, end, rows, firstStep, lastStep, keys]`. */
type CompactBlock = [number, number, number, number, number, Record<string, number[]>];

/** The outline as a server answers `GET …/history/outline`: compact tuples, or (older servers) objects. */
export type OutlineAnswer =
  | HistoryOutlineData
  | (Omit<HistoryOutlineData, 'blocks'> & { format: 'compact'; blocks: CompactBlock[] });

/**
 * The seam's outline from a server's answer: compact blocks (docs/PROTOCOL.md, "Reading") become the seam's
 * objects; an answer already in objects (a server before the compact form) is used as it is.
 */
export function outlineFromAnswer(answer: OutlineAnswer): HistoryOutlineData {
  if (!('format' in answer) || answer.format !== 'compact') return answer as HistoryOutlineData;
  const blocks = answer.blocks.map(([start, end, rows, firstStep, lastStep, stats]): OutlineBlock => {
    const keys: Record<string, KeyStats> = {};
    for (const key in stats) {
      const s = stats[key];
      keys[key] = {
        count: s[0],
        firstStep: s[1],
        first: s[2],
        lastStep: s[3],
        last: s[4],
        minStep: s[5],
        min: s[6],
        maxStep: s[7],
        max: s[8],
      };
    }
    return { start, end, rows, firstStep, lastStep, keys };
  });
  return { historyBytes: answer.historyBytes, blocks, gaps: answer.gaps };
}
