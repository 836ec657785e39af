import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidValueError } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readRows, tempStore } from './helpers.js';

// Issue #19 item 16: one row and one summary value have a documented size bound (4 MiB) and a typed error.

const MiB = 1 << 20;
/** A string of `mib` MiB as JSON (ASCII: one byte a character), under the 1 MiB string limit each. */
const text = (chars: number, fill = 'x') => fill.repeat(chars);
const big = (parts: number) => Object.fromEntries(Array.from({ length: parts }, (_, i) => [`t${i}`, text(MiB - 16)]));

function indexStats(dir: string, key: string): number[][] {
  return readFileSync(join(dir, 'history-index.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).keys[key]);
}

describe('the bound on one row', () => {
  it('refuses a row over 4 MiB whole (ROW_TOO_LARGE) and records nothing of it', async () => {
    const run = await quietInit(tempStore());
    run.log({ loss: 1 });
    let error: unknown;
    try {
      run.log({ loss: 999, ...big(5) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error).toMatchObject({ code: 'ROW_TOO_LARGE' });
    expect(run.summary.get('loss')).toBe(1);
    expect(run.summary.get('t0')).toBeUndefined();
    run.log({ loss: 2, ...big(3) }); // 3 MiB: within the bound
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => [r._step, r.loss])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect((rows[1].t2 as string).length).toBe(MiB - 16);
    // The refused row's number never reached the index block's statistics.
    const [loss] = indexStats(run.dir, 'loss');
    expect(loss.slice(0, 1)).toEqual([2]);
    expect(Math.max(...loss.slice(1))).toBeLessThan(999);
  });

  it('counts bytes, not characters, and key names too', async () => {
    const run = await quietInit(tempStore());
    // 1.5 M three-byte characters: 4.5 MB as UTF-8, under the string limit as characters.
    expect(() => run.log({ a: text(750_000, '€'), b: text(750_000, '€') })).toThrow(
      expect.objectContaining({ code: 'ROW_TOO_LARGE' }),
    );
    expect(() => run.log({ [text(3 * MiB, 'k')]: 1, [text(2 * MiB, 'j')]: 2 })).toThrow(
      expect.objectContaining({ code: 'ROW_TOO_LARGE' }),
    );
    run.log({ ok: 1 });
    await run.finish();
    expect(readRows(join(run.dir, 'history.jsonl')).map((r) => r._step)).toEqual([0]);
  });

  it('a row built over several calls: the call that overflows it is refused, the rest is committed', async () => {
    const run = await quietInit(tempStore());
    run.log({ a: text(MiB - 16), b: text(MiB - 16) }, { commit: false });
    run.log({ a: text(MiB - 16, 'y') }, { commit: false }); // replaces a: still 2 MiB
    expect(() => run.log(big(3), { commit: false })).toThrow(expect.objectContaining({ code: 'ROW_TOO_LARGE' }));
    expect(() => run.log({ c: text(MiB - 16) }, { step: 0 })).not.toThrow();
    run.log({ d: 1 }, { step: 1 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => Object.keys(r).filter((k) => !k.startsWith('_')))).toEqual([['a', 'b', 'c'], ['d']]);
    expect((rows[0].a as string)[0]).toBe('y');
  });
});

describe('the bound on a summary value', () => {
  it('summary.set and summary.update of a value over 4 MiB throw VALUE_TOO_LARGE and change nothing', async () => {
    const run = await quietInit(tempStore());
    const huge = Object.values(big(5));
    expect(() => run.summary.set('huge', huge)).toThrow(expect.objectContaining({ code: 'VALUE_TOO_LARGE' }));
    expect(() => run.summary.update({ fine: 1, huge })).toThrow(expect.objectContaining({ code: 'VALUE_TOO_LARGE' }));
    expect(run.summary.get('huge')).toBeUndefined();
    expect(run.summary.get('fine')).toBeUndefined();
    run.summary.set('large', huge.slice(0, 3));
    expect((run.summary.get('large') as string[]).length).toBe(3);
    await run.finish();
  });
});
