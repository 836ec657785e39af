import { Api } from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { quietInit, tempStore } from './helpers.js';

// issue 14 item 9: wandb's Run properties.
const savedEnv = { ui: process.env.RUNLOG_UI_URL, host: process.env.RUNLOG_HOST };
afterEach(() => {
  for (const [key, value] of [
    ['RUNLOG_UI_URL', savedEnv.ui],
    ['RUNLOG_HOST', savedEnv.host],
  ] as const)
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
});

describe('Run properties', () => {
  it('startTime is the original start, also on resume; startingStep is where this process began', async () => {
    const dir = tempStore();
    const first = await quietInit(dir, { settings: { processHooks: false } });
    first.log({ x: 1 });
    first.log({ x: 2 });
    await first.finish();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const resumed = await quietInit(dir, { id: first.id, resume: 'allow', settings: { processHooks: false } });
    expect(resumed.startTime.getTime()).toBe(first.startTime.getTime());
    expect(first.startingStep).toBe(0);
    expect(resumed.startingStep).toBe(2);
    await resumed.finish();
  });

  it('mode, offline, disabled, entity, sweepId', async () => {
    const run = await quietInit(tempStore());
    expect([run.mode, run.offline, run.disabled, run.entity, run.sweepId]).toEqual([
      'offline',
      true,
      false,
      null,
      null,
    ]);
    await run.finish();
    const off = await quietInit(tempStore(), { mode: 'disabled' });
    expect([off.mode, off.offline, off.disabled]).toEqual(['disabled', false, true]);
    await off.finish();
  });

  it('url is the dashboard page when RUNLOG_UI_URL (or RUNLOG_HOST) is set, else null', async () => {
    delete process.env.RUNLOG_UI_URL;
    delete process.env.RUNLOG_HOST;
    const run = await quietInit(tempStore());
    expect(run.url).toBeNull();
    process.env.RUNLOG_UI_URL = 'http://127.0.0.1:6006/';
    expect(run.url).toBe(`http://127.0.0.1:6006/#/r/test/${run.id}`);
    await run.finish();
  });

  it('Api.run accepts entity/project/id (the entity is ignored)', async () => {
    const dir = tempStore();
    const run = await quietInit(dir);
    await run.finish();
    const view = await new Api({ dir }).run(`some-entity/test/${run.id}`);
    expect(view.id).toBe(run.id);
  });

  it('alert titles must be shorter than 64 characters (typed error, nothing recorded)', async () => {
    const run = await quietInit(tempStore());
    expect(() => run.alert({ title: 'x'.repeat(64), text: 't' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', name: 'InvalidValueError' }),
    );
    expect(run.alert({ title: 'x'.repeat(63), text: 't' })).toBe(true);
    await run.finish();
  });
});
