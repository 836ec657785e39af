import { describe, expect, it } from 'vitest';
import { HistoryOutline, type OutlineBlock } from '../../src/index.js';
import { CONTRACT } from './contractFacts.js';
import { type ContractContext, expectPlainData, MAIN } from './storeAccessContract.js';

export function describeHistoryContract(context: ContractContext): void {
  describe('history at scale: outline and ranges', () => {
    it('outlines the whole history: blocks and gaps cover every row, block stats match the rows', async () => {
      const data = await context.access.historyOutline(MAIN);
      expect(data).toBeDefined();
      expectPlainData(data, context.store);
      const { rows } = await context.access.readStream(MAIN, 'history', { maxBytes: 1 << 30 });
      const outline = new HistoryOutline(data!, context.access, MAIN);
      expect(outline.blocks.length).toBeGreaterThan(0);
      expect(outline.indexedRows + outline.gapRows).toBe(CONTRACT.rows);
      let first = 0;
      for (const block of outline.blocks as OutlineBlock[]) {
        expect(block.lastStep).toBeGreaterThanOrEqual(block.firstStep);
        const inBlock = rows.filter(
          (r) => (r._step as number) >= block.firstStep && (r._step as number) <= block.lastStep,
        );
        expect(inBlock).toHaveLength(block.rows);
        const losses = inBlock.map((r) => r.loss as number);
        expect(block.keys.loss).toMatchObject({
          count: block.rows,
          min: Math.min(...losses),
          max: Math.max(...losses),
        });
        expect(block.keys.loss.first).toBe(losses[0]);
        expect(block.keys.loss.last).toBe(losses.at(-1));
        first = Math.max(first, block.lastStep);
      }
      expect(outline.extremeSteps(['loss'])).toContain(CONTRACT.minLossStep);
      expect(outline.valueCount('loss')).toBe(CONTRACT.rows);
      expect(outline.isDense('loss')).toBe(true);
      expect(outline.numericKeys()).toEqual(expect.objectContaining({}));
      expect([...outline.numericKeys()]).toEqual(expect.arrayContaining(['loss', 'acc']));
      const envelope = outline.envelope('loss');
      expect(Math.min(...envelope.values)).toBe(-5 + 1 / (CONTRACT.minLossStep + 1));
      expect(envelope.steps).toEqual([...envelope.steps].sort((a, b) => a - b));
    });

    it('reads a step range and chosen rows, decoded, in step order', async () => {
      const range = await context.access.readHistoryRange(MAIN, 100, 699);
      expectPlainData(range, context.store);
      expect(range.map((r) => r._step)).toEqual(Array.from({ length: 600 }, (_, i) => 100 + i));
      const specials = await context.access.readHistoryRange(MAIN, 7, 10);
      expect(Number.isNaN(specials[0].odd)).toBe(true);
      expect(Object.is(specials[3].odd, -0)).toBe(true);
      expect(await context.access.readHistoryRange(MAIN, 5000, 6000)).toEqual([]);
      const chosen = await context.access.readHistoryRows(MAIN, {
        positions: [0, CONTRACT.rows - 1],
        steps: [700, 12],
      });
      expect(chosen.map((r) => r._step)).toEqual([0, 12, 700, CONTRACT.rows - 1]);
      expect(chosen[1].when).toEqual(new Date(CONTRACT.date));
    });

    it('reads ranges of a run too short to have an index block the same way', async () => {
      const failed = { project: CONTRACT.project, id: CONTRACT.failed };
      const rows = await context.access.readHistoryRange(failed, 0, 10);
      expect(rows.map((r) => [r._step, r.loss])).toEqual([[0, 2]]);
      expect((await context.access.readHistoryRows(failed, { positions: [0] })).map((r) => r._step)).toEqual([0]);
    });
  });
}
