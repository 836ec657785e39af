import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { finish, getRun, InvalidValueError, log, RunFinishedError, RunlogError, StorageError } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

function expectCode(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RunlogError);
    expect((error as RunlogError).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected a RunlogError ${code}`);
}

describe('bad input to log() is rejected whole with a typed error; earlier data stays', () => {
  it('round-trips NaN, ±Infinity and -0 exactly and never confuses them with strings', async () => {
    const run = await quietInit(tempStore());
    run.log({
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      nzero: -0,
      s: 'NaN',
      zero: 0,
    });
    run.log({ nested: { deep: [Number.NaN, -0, 1] } });
    await run.finish();
    const [row, row2] = readRows(join(run.dir, 'history.jsonl'));
    expect(row.nan).toBeNaN();
    expect(row.inf).toBe(Number.POSITIVE_INFINITY);
    expect(row.ninf).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(row.nzero, -0)).toBe(true);
    expect(Object.is(row.zero, 0)).toBe(true);
    expect(row.s).toBe('NaN');
    const deep = (row2.nested as { deep: number[] }).deep;
    expect(deep[0]).toBeNaN();
    expect(Object.is(deep[1], -0)).toBe(true);
    const summary = readJsonFile(join(run.dir, 'summary.json'));
    expect(summary.nan).toBeNaN();
    expect(Object.is(summary.nzero, -0)).toBe(true);
  });

  it('accepts safe BigInts and Dates; rejects unsafe BigInts and invalid Dates', async () => {
    const run = await quietInit(tempStore());
    const when = new Date('2026-01-02T03:04:05.678Z');
    run.log({ big: 42n, when });
    expectCode(() => run.log({ big: 2n ** 60n }), 'INVALID_VALUE', /bigint/);
    expectCode(() => run.log({ bad: new Date('nope') }), 'INVALID_VALUE', /invalid Date/);
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows).toHaveLength(1);
    expect(rows[0].big).toBe(42);
    expect(rows[0].when).toEqual(when);
  });

  it('leaves undefined members out, as JSON does', async () => {
    const run = await quietInit(tempStore());
    run.log({ a: 1, b: undefined, c: [undefined, 2] });
    await run.finish();
    const [row] = readRows(join(run.dir, 'history.jsonl'));
    expect('b' in row).toBe(false);
    expect(row.c).toEqual([null, 2]);
  });

  it('rejects functions, symbols, cycles, deep nesting, huge strings, bad keys and non-plain objects', async () => {
    const run = await quietInit(tempStore());
    run.log({ ok: 1 });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 200; i++) deep = { d: deep };
    expectCode(() => run.log({ ok: 2, f: () => 1 }), 'INVALID_VALUE', /f is a function/);
    expectCode(() => run.log({ s: Symbol('x') }), 'INVALID_VALUE', /symbol/);
    expectCode(() => run.log({ c: cyclic }), 'INVALID_VALUE', /cycle/);
    expectCode(() => run.log({ deep }), 'INVALID_VALUE', /nested more than 64/);
    expectCode(() => run.log({ big: 'x'.repeat((1 << 20) + 1) }), 'INVALID_VALUE', /limit/);
    expectCode(() => run.log({ '': 1 }), 'INVALID_KEY', /empty key/);
    expectCode(() => run.log({ nested: { '': 1 } }), 'INVALID_KEY', /empty key/);
    expectCode(() => run.log(JSON.parse('{"__proto__": 1}')), 'INVALID_KEY', /__proto__/);
    expectCode(() => run.log({ _step: 3 }), 'INVALID_KEY', /reserved/);
    expectCode(() => run.log({ o: { _type: 'float', value: 'NaN' } }), 'INVALID_KEY', /_type/);
    expectCode(() => run.log({ m: new Map() }), 'INVALID_VALUE', /Map/);
    expectCode(() => run.log({ [Symbol('k')]: 1 } as never), 'INVALID_KEY', /symbol keys/);
    expectCode(() => run.log(null as never), 'INVALID_ARGUMENT');
    expectCode(() => run.log([1, 2] as never), 'INVALID_ARGUMENT');
    expectCode(() => run.log({ a: 1 }, { step: -1 }), 'INVALID_ARGUMENT');
    expectCode(() => run.log({ a: 1 }, { step: 1.5 }), 'INVALID_ARGUMENT');
    // A 1 MB string (under the 1 MiB limit) and keys with '/' are fine.
    run.log({ text: 'y'.repeat(1_000_000), 'a/b/c': 1 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => r._step)).toEqual([0, 1]);
    expect(rows[0].ok).toBe(1);
    expect((rows[1].text as string).length).toBe(1_000_000);
    expect('f' in rows[0] || 'f' in rows[1]).toBe(false);
  });

  it('a log after finish throws RunFinishedError; a second finish is a harmless no-op', async () => {
    const run = await quietInit(tempStore());
    run.log({ a: 1 });
    await run.finish();
    expect(() => run.log({ a: 2 })).toThrow(RunFinishedError);
    expect(() => run.config.update({ x: 1 })).toThrow(RunFinishedError);
    expect(() => run.summary.set('x', 1)).toThrow(RunFinishedError);
    expect(() => run.alert({ title: 't', text: 'x' })).toThrow(RunFinishedError);
    await run.finish();
    expect(readRows(join(run.dir, 'history.jsonl'))).toHaveLength(1);
    expect(readJsonFile(join(run.dir, 'run.json')).state).toBe('finished');
  });

  it('module-level log() before init() says to call init', async () => {
    while (getRun()) await finish();
    expectCode(() => log({ a: 1 }), 'NO_ACTIVE_RUN', /init/);
  });

  it('init rejects invalid options with a typed error', async () => {
    const dir = tempStore();
    await expect(quietInit(dir, { project: '../escape' })).rejects.toBeInstanceOf(InvalidValueError);
    await expect(quietInit(dir, { id: 'a/b' })).rejects.toBeInstanceOf(InvalidValueError);
    await expect(quietInit(dir, { resume: 'sometimes' as never })).rejects.toThrow(/resume must be/);
    expect(existsSync(join(dir, '..', 'escape'))).toBe(false);
  });

  it('an unwritable store fails at init with a StorageError that names the folder', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions: use a path under a regular file instead, which no one can create.
      const dir = tempStore();
      const file = join(dir, 'file');
      mkdirSync(dir, { recursive: true });
      (await import('node:fs')).writeFileSync(file, 'x');
      await expect(quietInit(join(file, 'store'))).rejects.toBeInstanceOf(StorageError);
      return;
    }
    const dir = tempStore();
    chmodSync(dir, 0o500);
    await expect(quietInit(join(dir, 'store'))).rejects.toBeInstanceOf(StorageError);
  });
});
