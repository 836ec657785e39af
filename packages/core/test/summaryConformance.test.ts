import { join } from 'node:path';
import * as core from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

// wandb's summary semantics (issue 14 items 3 and 4) and summary key validation (issue 19 item 6).
describe('summary aggregates come from committed rows', () => {
  it('a value replaced before its row is committed is not aggregated (commit: false)', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('m', { summary: 'max' });
    run.defineMetric('n', { summary: 'mean' });
    run.log({ m: 100, n: 100 }, { commit: false });
    run.log({ m: 1, n: 1 });
    expect(run.summary.get('m')).toBe(1);
    expect(run.summary.get('n')).toBe(1);
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => r.m)).toEqual([1]);
    expect(readJsonFile(join(run.dir, 'summary.json'))).toMatchObject({ m: 1, n: 1 });
  });

  it('the same with explicit steps, and the pending row shows in the summary once committed', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('m', { summary: 'min' });
    run.log({ m: -5 }, { step: 3 });
    run.log({ m: 2 }, { step: 3 });
    expect(run.summary.get('m')).toBeUndefined(); // still pending
    run.log({ m: 4 }, { step: 4 }); // commits step 3 with m = 2
    await run.finish(); // commits step 4
    expect(run.summary.get('m')).toBe(2);
    expect(readRows(join(run.dir, 'history.jsonl')).map((r) => [r._step, r.m])).toEqual([
      [3, 2],
      [4, 4],
    ]);
  });

  it('stepSync still inserts the step metric into a committed pending row without counting it again', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('loss', { stepMetric: 'epoch' });
    run.defineMetric('epoch', { summary: 'mean' });
    run.log({ epoch: 2 });
    run.log({ loss: 0.5 }, { commit: false });
    run.log({ other: 1 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows[1]).toMatchObject({ loss: 0.5, other: 1, epoch: 2 });
    expect(run.summary.get('epoch')).toBe(2);
    const metrics = readJsonFile(join(run.dir, 'metrics.json')) as { state: Record<string, { count: number }> };
    expect(metrics.state.epoch.count).toBe(1);
  });
});

describe('defineMetric as wandb', () => {
  it("summary 'min,max,mean' keeps several aggregates, and last when asked", async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('loss', { summary: 'min,max,mean' });
    run.defineMetric('acc', { summary: 'max,last' });
    run.defineMetric('f1', { summary: 'best,first', goal: 'maximize' });
    for (const v of [0.5, 0.2, 0.8]) run.log({ loss: v, acc: v, f1: v });
    expect(run.summary.get('loss')).toEqual({ min: 0.2, max: 0.8, mean: 0.5 });
    expect(run.summary.get('acc')).toEqual({ max: 0.8, last: 0.8 });
    expect(run.summary.get('f1')).toEqual({ best: 0.8, first: 0.5 });
    await run.finish();
    expect(readJsonFile(join(run.dir, 'summary.json'))).toMatchObject({ loss: { min: 0.2, max: 0.8, mean: 0.5 } });
  });

  it('rejects unknown, repeated and contradictory aggregates with INVALID_ARGUMENT', async () => {
    const run = await quietInit(tempStore());
    for (const summary of ['min,avg', 'min,min', 'none,min', 'copy', '', 'min,']) {
      expect(() => run.defineMetric('x', { summary: summary as never })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    // An option defineMetric does not have (wandb's snake_case spelling) is not silently ignored.
    expect(() => run.defineMetric('x', { step_metric: 'epoch' } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('step_metric') }),
    );
    await run.finish();
  });

  it('merges with the earlier definition by default; overwrite: true replaces it', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('loss', { stepMetric: 'epoch', goal: 'minimize' });
    const merged = run.defineMetric('loss', { summary: 'best' }); // the goal comes from the first definition
    expect(merged).toBeInstanceOf(core.Metric);
    expect(merged).toMatchObject({ name: 'loss', stepMetric: 'epoch', summary: ['best'], goal: 'minimize' });
    const replaced = run.defineMetric('loss', { summary: 'max', overwrite: true });
    expect(replaced).toMatchObject({ name: 'loss', stepMetric: undefined, summary: ['max'], goal: undefined });
    expect(run.metricDefinitions()).toEqual([{ name: 'loss', summary: 'max' }]);
    await run.finish();
  });

  it('returns a Metric object describing the definition', async () => {
    const run = await quietInit(tempStore());
    const metric = run.defineMetric('val/*', { stepMetric: 'epoch', hidden: true, summary: 'min,max' });
    expect(metric).toEqual(
      expect.objectContaining({
        name: 'val/*',
        stepMetric: 'epoch',
        stepSync: true,
        hidden: true,
        summary: ['min', 'max'],
        goal: undefined,
      }),
    );
    expect(Object.isFrozen(metric)).toBe(true);
    await run.finish();
  });

  it('addresses nested values by key path (val.loss)', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('val.loss', { summary: 'min' });
    run.defineMetric('val.extra.*', { summary: 'max' });
    run.log({ val: { loss: 0.5, acc: 0.1, extra: { a: 1 } } });
    run.log({ val: { loss: 0.2, acc: 0.3, extra: { a: 3 } } });
    run.log({ val: { loss: 0.4, acc: 0.2, extra: { a: 2 } } });
    expect(run.summary.get('val.loss')).toBe(0.2);
    expect(run.summary.get('val')).toEqual({ loss: 0.2, acc: 0.2, extra: { a: 3 } });
    await run.finish();
    expect(readJsonFile(join(run.dir, 'summary.json')).val).toEqual({ loss: 0.2, acc: 0.2, extra: { a: 3 } });

    // A resumed run continues the nested aggregates.
    const again = await quietInit(run.storeDir, { id: run.id, resume: 'allow' });
    again.log({ val: { loss: 0.3, acc: 0.9, extra: { a: 0 } } });
    expect(again.summary.get('val')).toEqual({ loss: 0.2, acc: 0.9, extra: { a: 3 } });
    await again.finish();
  });
});

describe('summary keys are validated as log() validates keys (issue 19 item 6)', () => {
  it('refuses _type, __proto__, the row columns and the empty key with INVALID_KEY', async () => {
    const run = await quietInit(tempStore());
    for (const key of ['_type', '__proto__', '', '_step', '_runtime', '_timestamp', 'constructor']) {
      expect(() => run.summary.set(key, 1)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    }
    run.summary.set('ok', 1);
    await run.finish();
    expect(readJsonFile(join(run.dir, 'summary.json'))).toEqual({ ok: 1 });
  });

  it("the read API's summary edits are checked the same way", async () => {
    const run = await quietInit(tempStore());
    run.log({ loss: 1 });
    await run.finish();
    const view = await new core.Api({ dir: run.storeDir }).run(run.path);
    view.summary._type = 'x';
    await expect(view.update()).rejects.toMatchObject({ code: 'INVALID_KEY' });
    expect(readJsonFile(join(run.dir, 'summary.json'))).toEqual({ loss: 1 });
  });

  it('update() is all-or-nothing: a bad key or value changes nothing', async () => {
    const run = await quietInit(tempStore());
    const events: string[] = [];
    run.on('summary', (key) => events.push(key));
    expect(() => run.summary.update({ a: 1, '': 2 })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => run.summary.update({ a: 1, ['__proto__']: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => run.summary.update({ a: 1, b: () => 1 })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => run.summary.update([1] as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(run.summary.get('a')).toBeUndefined();
    expect(events).toEqual([]);
    run.summary.update({ a: 1, b: 2 });
    expect(run.summary.toJSON()).toEqual({ a: 1, b: 2 });
    await run.finish();
  });
});
