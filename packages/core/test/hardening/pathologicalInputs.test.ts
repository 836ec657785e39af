import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { computeHistogram, InvalidValueError } from '@runlog/core';
import { metricResolver } from '@runlog/core/browser';
import { afterAll, describe, expect, it } from 'vitest';
import { quietInit, readRows, tempStore } from '../helpers.js';

// #19 item 8: inputs that used to hang log() or break it with an untyped error.
const dir = tempStore('runlog-pathological-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidValueError);
    return (error as InvalidValueError).code;
  }
  return undefined;
}

describe('defineMetric globs', () => {
  it('match in linear time however many stars they have', async () => {
    const run = await quietInit(dir);
    run.defineMetric(`${'*a'.repeat(9)}*b`, { summary: 'max' });
    const started = performance.now();
    run.log({ [`${'a'.repeat(50)}`]: 1 });
    expect(performance.now() - started).toBeLessThan(1000);
    await run.finish();
  });

  it('are bounded in length', async () => {
    const run = await quietInit(dir);
    expect(codeOf(() => run.defineMetric('*'.repeat(10_000)))).toBe('INVALID_ARGUMENT');
    run.defineMetric(`x/${'*'.repeat(1000)}`);
    await run.finish();
  });

  it('still mean what they meant', () => {
    const resolve = metricResolver([{ name: 'val/*' }, { name: 'a*b*c', summary: 'min' }, { name: '*' + '/x' }]);
    expect(resolve('val/loss')?.name).toBe('val/*');
    expect(resolve('val/')?.name).toBe('val/*');
    expect(resolve('abc')?.name).toBe('a*b*c');
    expect(resolve('aXbYbZc')?.name).toBe('a*b*c');
    expect(resolve('acb')).toBeUndefined();
    expect(resolve('ab')).toBeUndefined();
    expect(resolve('q/x')?.name).toBe('*/x');
    expect(resolve('q/y')).toBeUndefined();
  });
});

describe('arrays with holes', () => {
  it('are a typed error at once, even at length 2^32-1, and nothing logged is lost', async () => {
    const run = await quietInit(dir);
    run.log({ loss: 1 });
    const sparse: number[] = [];
    sparse[2 ** 32 - 2] = 1;
    const started = performance.now();
    expect(codeOf(() => run.log({ sparse }))).toBe('INVALID_VALUE');
    expect(codeOf(() => run.log({ holes: new Array(3) }))).toBe('INVALID_VALUE');
    const wide = [1, 2, 3];
    wide[100] = 4;
    expect(codeOf(() => run.log({ nested: { deep: wide } }))).toBe('INVALID_VALUE');
    expect(performance.now() - started).toBeLessThan(1000);
    run.log({ loss: 2, ok: [1, undefined, 3] });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => r.loss)).toEqual([1, 2]);
    expect(rows[1].ok).toEqual([1, null, 3]);
  });
});

describe('steps beyond Number.MAX_SAFE_INTEGER', () => {
  it('are INVALID_ARGUMENT, and the step counter never passes it', async () => {
    const run = await quietInit(dir);
    expect(codeOf(() => run.log({ a: 1 }, { step: 2 ** 53 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => run.log({ a: 1 }, { step: 2 ** 60 }))).toBe('INVALID_ARGUMENT');
    run.log({ a: 1 }, { step: Number.MAX_SAFE_INTEGER, commit: true });
    expect(codeOf(() => run.log({ a: 2 }))).toBe('INVALID_ARGUMENT');
    await run.finish();
    const steps = readRows(join(run.dir, 'history.jsonl')).map((r) => r._step);
    expect(steps).toEqual([Number.MAX_SAFE_INTEGER]);
  });
});

describe('histograms whose range overflows', () => {
  it('have finite, increasing edges and count every value', async () => {
    const values = [-Number.MAX_VALUE, 0, 1, Number.MAX_VALUE, Number.MAX_VALUE / 2];
    const histogram = computeHistogram(values, 8);
    expect(histogram.bins).toHaveLength(9);
    expect(histogram.bins.every(Number.isFinite)).toBe(true);
    expect(histogram.bins[0]).toBe(-Number.MAX_VALUE);
    expect(histogram.bins[8]).toBe(Number.MAX_VALUE);
    for (let i = 1; i < 9; i++) expect(histogram.bins[i]).toBeGreaterThan(histogram.bins[i - 1]);
    expect(histogram.values).toEqual([1, 0, 0, 0, 2, 0, 1, 1]);

    const run = await quietInit(dir);
    run.log({ weights: [...values, ...new Array(40).fill(0)] });
    await run.finish();
    const [row] = readRows(join(run.dir, 'history.jsonl'));
    const logged = row.weights as { bins: unknown[]; values: number[] };
    expect(logged.bins.every((edge) => typeof edge === 'number' && Number.isFinite(edge))).toBe(true);
    expect(logged.values.reduce((a, b) => a + b, 0)).toBe(45);
  });
});
