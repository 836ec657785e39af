// RunView's accessors over the store-access seam: metric definitions, alerts, system rows, console output from
// an offset, and following a run's streams.
import { describe, expect, it } from 'vitest';
import { Api } from '../src/index.js';
import { quietInit, tempStore } from './helpers.js';

describe('RunView accessors', () => {
  it('reads definitions, alerts, system rows, output from an offset, and follows a finished run', async () => {
    const dir = tempStore('runlog-view-');
    const run = await quietInit(dir, { project: 'view', settings: { systemMetrics: true } });
    run.defineMetric('val/*', { stepMetric: 'epoch', summary: 'max' });
    for (let step = 0; step < 20; step++) run.log({ loss: 1 / (step + 1), 'val/acc': step / 20, epoch: step });
    run.alert({ title: 'slow', text: 'a slow epoch', level: 'WARN' });
    await run.finish();

    const view = await new Api({ dir }).run(run.path);
    expect(await view.metricDefinitions()).toEqual([
      expect.objectContaining({ name: 'val/*', stepMetric: 'epoch', summary: 'max' }),
    ]);
    expect(await view.alerts()).toEqual([
      expect.objectContaining({ title: 'slow', text: 'a slow epoch', level: 'WARN' }),
    ]);
    const system = await view.scanSystem().toArray();
    expect(system.length).toBeGreaterThan(0);
    expect(typeof system[0]._runtime).toBe('number');
    const output = await view.outputFrom(0);
    expect(output).toMatchObject({ offset: 0, nextOffset: output.size });
    expect(await view.output()).toBe(output.text);

    const rows: number[] = [];
    for await (const { stream, chunk } of view.follow('history', { last: 2, intervalMs: 10 })) {
      expect(stream).toBe('history');
      if ('rows' in chunk) for (const row of chunk.rows) rows.push(row._step as number);
    }
    expect(rows).toEqual([18, 19]);
  });
});
