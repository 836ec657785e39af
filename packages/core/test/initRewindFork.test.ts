import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Api, init } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

// issue 14 item 8: wandb 0.19's init options are honoured or refused, never silently ignored.
async function runWithSteps(dir: string, steps: number) {
  const run = await quietInit(dir, { settings: { processHooks: false } });
  run.defineMetric('loss', { summary: 'min' });
  for (let step = 0; step < steps; step++) run.log({ loss: 100 - step, acc: step });
  run.summary.set('note', 'set by hand');
  await run.finish();
  return run;
}

describe('init options', () => {
  it('an unknown option is INVALID_ARGUMENT; a wandb option runlog lacks says what to use', async () => {
    const dir = tempStore();
    await expect(quietInit(dir, { projcet: 'typo' } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('unknown init option projcet'),
    });
    await expect(quietInit(dir, { saveCode: true } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('run.logCode()'),
    });
    await expect(quietInit(dir, { resumeFrom: { run: 'x' } } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('entity is accepted and ignored; configExcludeKeys is honoured', async () => {
    const run = await quietInit(tempStore(), {
      entity: 'my-team',
      config: { lr: 0.1, secret: 'x' },
      configExcludeKeys: ['secret'],
    });
    expect(run.entity).toBeNull();
    expect(run.config.toJSON()).toEqual({ lr: 0.1 });
    await run.finish();
  });

  it("reinit: 'return_previous' returns the current run, true finishes it first", async () => {
    const dir = tempStore();
    const first = await quietInit(dir, { settings: { processHooks: false } });
    expect(await quietInit(dir, { reinit: 'return_previous' })).toBe(first);
    const second = await quietInit(dir, { reinit: true, settings: { processHooks: false } });
    expect(second).not.toBe(first);
    expect(first.state).toBe('finished');
    await second.finish();
  });
});

describe('resumeFrom (rewind)', () => {
  it('continues the run after the step; later rows are archived, not deleted; the summary is recomputed', async () => {
    const dir = tempStore();
    const original = await runWithSteps(dir, 10);
    const run = await quietInit(dir, { resumeFrom: `${original.id}?_step=4`, settings: { processHooks: false } });
    expect(run.id).toBe(original.id);
    expect(run.resumed).toBe(true);
    expect(run.startingStep).toBe(5);
    expect(run.summary.get('loss')).toBe(96);
    expect(run.summary.get('note')).toBeUndefined();
    run.log({ loss: 50, acc: -1 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => r._step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows[5].loss).toBe(50);
    const archived = readRows(join(run.dir, 'archive', 'history-1.jsonl'));
    expect(archived.map((r) => r._step)).toEqual([5, 6, 7, 8, 9]);
    const document = readJsonFile(join(run.dir, 'run.json'));
    expect(document.rewinds).toEqual([
      { step: 4, at: expect.any(String), archive: 'archive/history-1.jsonl', archivedRows: 5 },
    ]);
    const view = await new Api({ dir }).run(`test/${run.id}`);
    expect((await view.history()).map((r) => r.loss)).toEqual([100, 99, 98, 97, 96, 50]);
  });

  it('refuses resumeFrom with resume, or naming a run that does not exist', async () => {
    const dir = tempStore();
    await expect(quietInit(dir, { resumeFrom: { run: 'nope', step: 1 } })).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
    });
    await expect(quietInit(dir, { resumeFrom: { run: 'nope', step: 1 }, resume: 'allow' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('forkFrom', () => {
  it('starts a new run with the source rows up to the step, its config, and the lineage', async () => {
    const dir = tempStore();
    const source = await quietInit(dir, { config: { lr: 0.1 }, settings: { processHooks: false } });
    for (let step = 0; step < 6; step++) source.log({ loss: 10 - step });
    await source.finish();
    const fork = await init({
      project: 'test',
      dir,
      forkFrom: { run: `my-entity/test/${source.id}`, step: 2 },
      config: { lr: 0.01 },
      settings: { console: false, systemMetrics: false, quiet: true, processHooks: false },
    });
    expect(fork.id).not.toBe(source.id);
    expect(fork.resumed).toBe(false);
    expect(fork.startingStep).toBe(3);
    expect(fork.config.get('lr')).toBe(0.01);
    fork.log({ loss: 1 });
    await fork.finish();
    expect(readRows(join(fork.dir, 'history.jsonl')).map((r) => [r._step, r.loss])).toEqual([
      [0, 10],
      [1, 9],
      [2, 8],
      [3, 1],
    ]);
    expect(readJsonFile(join(fork.dir, 'run.json')).forkedFrom).toEqual({ project: 'test', runId: source.id, step: 2 });
    expect(readRows(join(source.dir, 'history.jsonl'))).toHaveLength(6);
    expect(existsSync(join(source.dir, 'archive'))).toBe(false);
    expect(readJsonFile(join(fork.dir, 'summary.json')).loss).toBe(1);
  });
});
