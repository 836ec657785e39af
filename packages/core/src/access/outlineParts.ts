import type { HistoryOutlineData, KeyStats, OutlineBlock, OutlineGap } from './historyOutlineData.js';

export type OutlinePart = { kind: 'block'; block: OutlineBlock } | { kind: 'gap'; gap: OutlineGap };

/** The blocks and gaps of an outline in history order (a gap before a block comes first). */
export function* outlineParts(outline: HistoryOutlineData): Generator<OutlinePart> {
  const { blocks, gaps } = outline;
  let g = 0;
  for (const block of blocks) {
    while (g < gaps.length && gaps[g].start < block.start) yield { kind: 'gap', gap: gaps[g++] };
    yield { kind: 'block', block };
  }
  while (g < gaps.length) yield { kind: 'gap', gap: gaps[g++] };
}

/** A key's stats in a block (own keys only: a key named like an Object method is still just a key). */
export function keyStatsOf(block: OutlineBlock, key: string): KeyStats | undefined {
  return Object.hasOwn(block.keys, key) ? block.keys[key] : undefined;
}
