import { type Run, RunlogError } from '@runlog/core';
import { unwatch, watch } from '@runlog/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { historyOf, summaryOf, testRun } from './helpers/runs.js';
import { buildMlp, buildSqrt } from './helpers/testModels.js';

const runs: Run[] = [];
async function newRun(): Promise<Run> {
  const run = await testRun();
  runs.push(run);
  return run;
}
afterEach(async () => {
  for (const run of runs.splice(0)) if (!run.finished) await run.finish();
});

const x = (rows: number, cols = 4) => new Tensor('float32', new Float32Array(rows * cols).fill(0.25), [rows, cols]);

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('watch: bad input', () => {
  it('feeds with wrong names or shapes reject as they would unwatched, and are counted', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    const unwatchedWrongName = (await caught(session.run({ y: x(2) }))) as Error;
    const unwatchedWrongShape = (await caught(session.run({ x: x(2, 5) }))) as Error;
    const exceptions: unknown[] = [];
    run.hooks.hook('exception', ({ error, stage }) => {
      expect(stage).toBe('predict');
      exceptions.push(error);
    });
    watch(session, { run, logFreq: 2 });
    const wrongName = (await caught(session.run({ y: x(2) }))) as Error;
    const wrongShape = (await caught(session.run({ x: x(2, 5) }))) as Error;
    expect(wrongName.constructor).toBe(unwatchedWrongName.constructor);
    expect(wrongName.message).toBe(unwatchedWrongName.message);
    expect(wrongShape.message).toBe(unwatchedWrongShape.message);
    expect(exceptions).toEqual([wrongName, wrongShape]);
    // good calls around the failures still fill the window normally
    await session.run({ x: x(1) });
    await session.run({ x: x(3) });
    await unwatch(session);
    await run.flush();
    const rows = historyOf(run);
    expect(rows).toHaveLength(1);
    expect(rows[0]['inference/calls']).toBe(4);
    expect(rows[0]['inference/errors']).toBe(2);
    expect(summaryOf(run)).toMatchObject({ 'inference/calls': 4, 'inference/errors': 2, 'inference/items': 4 });
    await session.release();
  });

  it('a session whose run throws or rejects: the same error object reaches the caller, sync stays sync', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    const real = session.run.bind(session);
    const syncError = new TypeError('feeds were rejected before running');
    const asyncError = new RangeError('the device went away');
    let mode: 'ok' | 'sync' | 'async' = 'ok';
    // A session object whose own run throws on demand, the way a custom backend's might.
    const flaky = {
      inputNames: session.inputNames,
      run(feeds: Parameters<typeof real>[0]) {
        if (mode === 'sync') throw syncError;
        if (mode === 'async') return Promise.reject(asyncError);
        return real(feeds);
      },
    };
    const ownRun = flaky.run;
    watch(flaky, { run, logFreq: 10 });
    mode = 'sync';
    let thrown: unknown;
    try {
      void flaky.run({ x: x(1) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(syncError);
    mode = 'async';
    await expect(flaky.run({ x: x(1) })).rejects.toBe(asyncError);
    mode = 'ok';
    expect((await flaky.run({ x: x(2) })).probs.dims).toEqual([2, 3]);
    await unwatch(flaky);
    expect(flaky.run).toBe(ownRun); // an own property is put back as it was
    expect(Object.hasOwn(flaky, 'run')).toBe(true);
    await run.flush();
    expect(summaryOf(run)).toMatchObject({ 'inference/calls': 3, 'inference/errors': 2 });
    await session.release();
  });

  it('a failing exception hook does not replace the session error; it is reported to the run', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    run.hooks.hook('exception', () => {
      throw new Error('hook bug');
    });
    watch(session, { run });
    const error = (await caught(session.run({ nope: x(1) }))) as Error;
    expect(error.message).not.toContain('hook bug');
    expect(run.status().errors.map((e) => e.message)).toContain('hook bug');
    await unwatch(session);
    await session.release();
  });

  it('watching the same session twice throws ALREADY_WATCHED and keeps the first watch', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    watch(session, { run, logFreq: 1 });
    const wrapper = session.run;
    let error: unknown;
    try {
      watch(session, { run, logFreq: 5 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunlogError);
    expect((error as RunlogError).code).toBe('ALREADY_WATCHED');
    expect(session.run).toBe(wrapper);
    await session.run({ x: x(1) });
    await unwatch(session);
    await run.flush();
    expect(historyOf(run)).toHaveLength(1); // logFreq 1 from the first watch, one row, no duplicate logging
    await session.release();
  });

  it('rejects bad options and non-sessions with INVALID_ARGUMENT, leaving run untouched', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    const original = session.run;
    for (const options of [
      { logFreq: 0 },
      { logFreq: 1.5 },
      { name: '' },
      { tensorStats: 'every' as 'all' },
      { logInputs: 'x' as unknown as string[] },
      { logOutputs: [1] as unknown as string[] },
    ]) {
      expect(() => watch(session, { run, ...options })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(session.run).toBe(original);
    }
    expect(() => watch({} as never, { run })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    await session.release();
  });

  it('counts NaN outputs and keeps min, max and mean over the other values', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildSqrt().bytes);
    watch(session, { run, logFreq: 1 });
    const input = new Tensor('float32', new Float32Array([4, -1, 9, Number.NaN, 0.25, -4, 16, 1]), [2, 4]);
    const { y } = await session.run({ x: input });
    expect(Array.from(y.data as Float32Array).filter(Number.isNaN)).toHaveLength(3);
    await unwatch(session);
    await run.flush();
    const [row] = historyOf(run);
    expect(row['inference/input/x/nan_count']).toBe(1);
    expect(row['inference/input/x/min']).toBe(-4);
    expect(row['inference/output/y/nan_count']).toBe(3);
    expect(row['inference/output/y/min']).toBe(0.5);
    expect(row['inference/output/y/max']).toBe(4);
    expect(row['inference/output/y/mean']).toBeCloseTo((2 + 3 + 0.5 + 4 + 1) / 5, 6);
    await session.release();
  });

  it('keeps serving calls when the run is finished under it, reporting instead of throwing', async () => {
    const run = await newRun();
    const session = await InferenceSession.create(buildMlp().bytes);
    watch(session, { run, logFreq: 1 });
    await session.run({ x: x(1) });
    await run.finish();
    const outputs = await session.run({ x: x(2) });
    expect(outputs.probs.dims).toEqual([2, 3]);
    expect(run.status().errors.some((e) => e.context.startsWith('onnx watch'))).toBe(true);
    await unwatch(session);
    expect(historyOf(run)).toHaveLength(1);
    await session.release();
  });

  it('without a run and no current run: NO_ACTIVE_RUN', async () => {
    const session = await InferenceSession.create(buildMlp().bytes);
    expect(() => watch(session)).toThrow(expect.objectContaining({ code: 'NO_ACTIVE_RUN' }));
    await session.release();
  });
});
