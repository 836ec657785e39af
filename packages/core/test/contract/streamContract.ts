import { describe, expect, it } from 'vitest';
import { followStreams, type RowChunk } from '../../src/index.js';
import { CONTRACT } from './contractFacts.js';
import { type ContractContext, expectCode, expectPlainData, MAIN } from './storeAccessContract.js';

/** Every chunk of a row stream from `offset` to its end, `maxBytes` at a time. */
async function chunksOf(context: ContractContext, stream: 'history', maxBytes: number): Promise<RowChunk[]> {
  const chunks: RowChunk[] = [];
  for (let offset = 0; ; ) {
    const chunk = await context.access.readStream(MAIN, stream, { offset, maxBytes });
    chunks.push(chunk);
    if (chunk.nextOffset >= chunk.size) return chunks;
    offset = chunk.nextOffset;
  }
}

export function describeStreamContract(context: ContractContext): void {
  describe('streams by byte offset', () => {
    it('reads history in chunks whose offsets chain from 0 to the stream size, the same rows as one read', async () => {
      const size = await context.access.streamSize(MAIN, 'history');
      expect(size).toBeGreaterThan(0);
      const whole = await context.access.readStream(MAIN, 'history', { maxBytes: size + 1 });
      expectPlainData(whole, context.store);
      expect(whole).toMatchObject({ offset: 0, nextOffset: size, size, skipped: 0 });
      expect(whole.rows.map((r) => r._step)).toEqual(Array.from({ length: CONTRACT.rows }, (_, i) => i));
      const chunks = await chunksOf(context, 'history', 4096);
      expect(chunks.length).toBeGreaterThan(5);
      chunks.forEach((chunk, i) => {
        if (i > 0) expect(chunk.offset).toBe(chunks[i - 1].nextOffset);
        expect(chunk.rows.length).toBeGreaterThan(0);
      });
      expect(chunks.flatMap((c) => c.rows)).toEqual(whole.rows);
      // Caught up: reading from the end returns nothing and stays there.
      const end = await context.access.readStream(MAIN, 'history', { offset: size });
      expect(end).toMatchObject({ rows: [], offset: size, nextOffset: size, size });
    });

    it('decodes NaN, ±Infinity, -0, dates and nested objects as the engine logged them', async () => {
      const { rows } = await context.access.readStream(MAIN, 'history', { maxBytes: 1 << 30 });
      const at = (step: number) => rows[step];
      expect(Number.isNaN(at(7).odd)).toBe(true);
      expect(at(8).odd).toBe(Number.POSITIVE_INFINITY);
      expect(at(9).odd).toBe(Number.NEGATIVE_INFINITY);
      expect(Object.is(at(10).odd, -0)).toBe(true);
      expect(at(CONTRACT.dateStep).when).toEqual(new Date(CONTRACT.date));
      expect(at(CONTRACT.nestedStep).val).toEqual({ acc: 0.5, loss: 0.25 });
      expect(typeof at(0)._runtime).toBe('number');
      expect(typeof at(0)._timestamp).toBe('number');
    });

    it('starts at the last lines, at a negative offset moved to a line start, or at a step', async () => {
      const last = await context.access.readStream(MAIN, 'history', { last: 3 });
      expect(last.rows.map((r) => r._step)).toEqual([CONTRACT.rows - 3, CONTRACT.rows - 2, CONTRACT.rows - 1]);
      expect(last.nextOffset).toBe(last.size);
      const tail = await context.access.readStream(MAIN, 'history', { offset: -2000 });
      expect(tail.skipped).toBe(0);
      expect(tail.offset).toBeGreaterThanOrEqual(tail.size - 2000);
      expect(tail.rows.at(-1)?._step).toBe(CONTRACT.rows - 1);
      const steps = tail.rows.map((r) => r._step as number);
      expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => steps[0] + i));
      const fromStep = await context.access.readStream(MAIN, 'history', { minStep: 1000, maxBytes: 1 << 30 });
      const first = fromStep.rows[0]._step as number;
      expect(first).toBeLessThanOrEqual(1000);
      expect(fromStep.rows.map((r) => r._step)).toContain(1000);
      expect(fromStep.offset).toBeGreaterThan(0); // it did not read from the start
    });

    it('projects rows on keys (rows holding all of them) and says which keys it saw', async () => {
      const chunk = await context.access.readStream(MAIN, 'history', {
        keys: ['epoch/loss', 'epoch'],
        maxBytes: 1 << 30,
      });
      expect(chunk.rows).toEqual([
        { _step: 499, 'epoch/loss': 0.499, epoch: 1 },
        { _step: 999, 'epoch/loss': 0.999, epoch: 2 },
        { _step: 1499, 'epoch/loss': 1.499, epoch: 3 },
      ]);
      const nested = await context.access.readStream(MAIN, 'history', {
        keys: ['val.acc', 'nosuchkey'],
        maxBytes: 1 << 30,
      });
      expect(nested.rows).toEqual([]);
      expect(nested.keysSeen).toEqual(['val.acc']);
    });

    it('reads the system, alerts, artifacts and output streams', async () => {
      const system = await context.access.readStream(MAIN, 'system');
      expect(system.rows.length).toBeGreaterThan(0);
      expect(typeof system.rows[0]._timestamp).toBe('number');
      const alerts = await context.access.readStream(MAIN, 'alerts');
      expect(alerts.rows).toEqual([expect.objectContaining({ title: CONTRACT.alertTitle, level: 'WARN' })]);
      const artifacts = await context.access.readStream(MAIN, 'artifacts');
      expect(artifacts.rows).toEqual([
        expect.objectContaining({ direction: 'logged', artifact: `${CONTRACT.project}/${CONTRACT.artifact}:v0` }),
      ]);
      const used = await context.access.readStream({ project: CONTRACT.project, id: CONTRACT.consumer }, 'artifacts');
      expect(used.rows.map((r) => r.direction)).toEqual(['used']);
      const output = await context.access.readStream(MAIN, 'output');
      expectPlainData(output, context.store);
      expect(output.text).toContain(`${CONTRACT.outputLine}\n`);
      expect(output.nextOffset).toBe(output.size);
      const tail = await context.access.readStream(MAIN, 'output', { last: 1 });
      expect(tail.text).toBe(`${CONTRACT.outputLine}\n`);
      expect(await context.access.streamSize(MAIN, 'output')).toBe(output.size);
      await expectCode(context.access.readStream(MAIN, 'nosuchstream' as 'history'), 'INVALID_ARGUMENT');
    });

    it('follows a run that has ended: reads to the end of each stream, then stops', async () => {
      const seen: Record<string, number> = { history: 0, output: 0 };
      let text = '';
      for await (const { stream, chunk } of followStreams(context.access, MAIN, ['history', 'output'], {
        last: 5,
        intervalMs: 10,
      })) {
        if ('text' in chunk) text += chunk.text;
        else seen[stream] += chunk.rows.length;
      }
      expect(seen.history).toBe(5);
      expect(text).toContain(CONTRACT.outputLine);
      const abort = new AbortController();
      abort.abort();
      const none = followStreams(context.access, MAIN, ['history'], { signal: abort.signal });
      expect((await none.next()).done).toBe(true);
    });
  });
}
