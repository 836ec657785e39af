import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { quietInit, readRows, tempStore } from './helpers.js';

describe('run.log step rules (wandb semantics)', () => {
  it('auto-increments the step on each call and stamps _step, _runtime and _timestamp', async () => {
    const run = await quietInit(tempStore());
    const before = Date.now() / 1000;
    run.log({ loss: 0.5 });
    run.log({ loss: 0.4 });
    expect(run.step).toBe(2);
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => [r._step, r.loss])).toEqual([
      [0, 0.5],
      [1, 0.4],
    ]);
    for (const row of rows) {
      expect(row._runtime).toBeGreaterThanOrEqual(0);
      expect(row._timestamp).toBeGreaterThanOrEqual(before - 1);
    }
    expect(rows[1]._runtime as number).toBeGreaterThanOrEqual(rows[0]._runtime as number);
  });

  it('commit: false accumulates into one row, the next committing call writes it', async () => {
    const run = await quietInit(tempStore());
    run.log({ 'train-loss': 0.5 }, { commit: false });
    run.log({ accuracy: 0.8 });
    run.log({ 'train-loss': 0.4 }, { commit: false });
    run.log({ accuracy: 0.9 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map(({ _runtime, _timestamp, ...rest }) => rest)).toEqual([
      { _step: 0, 'train-loss': 0.5, accuracy: 0.8 },
      { _step: 1, 'train-loss': 0.4, accuracy: 0.9 },
    ]);
  });

  it('an explicit step defaults to commit false and a larger step persists the pending row', async () => {
    const run = await quietInit(tempStore());
    run.log({ 'train-loss': 0.5 }, { step: 0 });
    run.log({ accuracy: 0.8 }, { step: 0 });
    run.log({ 'train-loss': 0.4 }, { step: 1 });
    run.log({ accuracy: 0.9 }, { step: 1 });
    run.log({ late: 1 }, { step: 7, commit: true });
    run.log({ after: 2 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map(({ _runtime, _timestamp, ...rest }) => rest)).toEqual([
      { _step: 0, 'train-loss': 0.5, accuracy: 0.8 },
      { _step: 1, 'train-loss': 0.4, accuracy: 0.9 },
      { _step: 7, late: 1 },
      { _step: 8, after: 2 },
    ]);
  });

  it('a step lower than the current one is dropped and warned about once per key pattern', async () => {
    const run = await quietInit(tempStore(), { settings: { quiet: false, console: false, systemMetrics: false } });
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      run.log({ a: 1 }, { step: 5, commit: true });
      run.log({ a: 2 }, { step: 3 });
      run.log({ a: 3 }, { step: 2 });
      run.log({ b: 3 }, { step: 1 });
      expect(warnings).toHaveBeenCalledTimes(2);
      expect(String(warnings.mock.calls[0][0])).toMatch(/step 3 is older than the current step 6/);
    } finally {
      warnings.mockRestore();
    }
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => r._step)).toEqual([5]);
    expect(run.summary.get('a')).toBe(1);
  });

  it('the same key logged twice in one pending row keeps the last value', async () => {
    const run = await quietInit(tempStore());
    run.log({ x: 1 }, { commit: false });
    run.log({ x: 2 }, { commit: false });
    run.log({});
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows).toHaveLength(1);
    expect(rows[0].x).toBe(2);
  });

  it('finish writes a pending uncommitted row', async () => {
    const run = await quietInit(tempStore());
    run.log({ x: 1 }, { step: 3 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => [r._step, r.x])).toEqual([[3, 1]]);
  });

  it('keeps nested objects nested and keys with "/" as they are', async () => {
    const run = await quietInit(tempStore());
    run.log({ 'train/loss': 0.1, val: { acc: 0.9, top: { k5: 0.99 } } });
    await run.finish();
    const [row] = readRows(join(run.dir, 'history.jsonl'));
    expect(row['train/loss']).toBe(0.1);
    expect(row.val).toEqual({ acc: 0.9, top: { k5: 0.99 } });
  });

  it('turns long numeric arrays, typed arrays and tensors into histograms; short arrays stay arrays', async () => {
    const run = await quietInit(tempStore());
    const long = Array.from({ length: 100 }, (_, i) => i);
    const tensor = { shape: [2, 2], dtype: 'float32', dataSync: () => new Float32Array([1, 2, 3, 4]) };
    const scalar = { shape: [], dtype: 'float32', dataSync: () => new Float32Array([0.25]) };
    run.log({ short: [1, 2, 3], long, typed: new Float32Array([0, 1, 1, 2]), tensor, scalar });
    await run.finish();
    const [row] = readRows(join(run.dir, 'history.jsonl'));
    expect(row.short).toEqual([1, 2, 3]);
    const histogram = row.long as { _type: string; values: number[]; bins: number[] };
    expect(histogram._type).toBe('histogram');
    expect(histogram.values.reduce((a, b) => a + b, 0)).toBe(100);
    expect(histogram.bins).toHaveLength(65);
    expect((row.typed as { values: number[] }).values.reduce((a, b) => a + b, 0)).toBe(4);
    expect((row.tensor as { _type: string })._type).toBe('histogram');
    expect(row.scalar).toBe(0.25);
  });

  it('emits a log event with the data and step', async () => {
    const run = await quietInit(tempStore());
    const seen: Array<[unknown, number]> = [];
    run.on('log', (data, step) => seen.push([data, step]));
    run.log({ a: 1 });
    run.log({ a: 2 }, { step: 4 });
    await run.finish();
    expect(seen).toEqual([
      [{ a: 1 }, 0],
      [{ a: 2 }, 4],
    ]);
  });
});
