// The one JSON-lines reader and its torn/damaged-line rule, on files written byte by byte (states the engine
// cannot be made to leave on demand: a torn line, a damaged one, a multi-byte character cut by a writer).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastHistoryRowSync } from '../src/historyRows/historyRowText.js';
import { parseRows } from '../src/jsonLines/jsonLineRows.js';
import { readLineWindow } from '../src/jsonLines/lineWindow.js';
import { readJsonLines } from '../src/jsonLines/readJsonLines.js';
import { seekStep } from '../src/jsonLines/seekStep.js';
import { tempStore } from './helpers.js';

const file = (text: string) => {
  const path = join(tempStore('runlog-lines-'), 'stream.jsonl');
  writeFileSync(path, text);
  return path;
};

describe('the JSON-lines reader', () => {
  it('returns a torn last line only once its newline is written, from the offset it stopped at', async () => {
    const path = file('{"_step":0,"a":1}\n{"_step":1,');
    const first = await readLineWindow(path);
    expect(first.text).toBe('{"_step":0,"a":1}\n');
    expect(first.nextOffset).toBe(18);
    expect(first.size).toBeGreaterThan(first.nextOffset);
    appendFileSync(path, '"a":{"_type":"float","value":"NaN"}}\n');
    const second = await readLineWindow(path, { offset: first.nextOffset });
    const { rows, skipped } = parseRows(second.text);
    expect(skipped).toBe(0);
    expect(rows).toHaveLength(1);
    expect(rows[0]._step).toBe(1);
    expect(Number.isNaN(rows[0].a)).toBe(true);
    expect(second.nextOffset).toBe(second.size);
  });

  it('skips and counts damaged lines (not JSON, not an object), ignores empty ones, and reads on', async () => {
    const path = file(
      '{"_step":0}\nnot json\n\n[1,2]\n42\n{"_step":1,"d":{"_type":"date","value":"2026-01-02T00:00:00.000Z"}}\n',
    );
    const { rows, skipped } = parseRows((await readLineWindow(path)).text);
    expect(skipped).toBe(3);
    expect(rows.map((r) => r._step)).toEqual([0, 1]);
    expect(rows[1].d).toEqual(new Date('2026-01-02T00:00:00.000Z'));
    const lines: number[] = [];
    const read: unknown[] = [];
    for await (const row of readJsonLines(path, { onSkip: (n) => lines.push(n) })) read.push(row);
    expect(read).toHaveLength(2);
    expect(lines).toEqual([2, 4, 5]);
  });

  it('reads a line longer than maxBytes whole, and windows of whole lines otherwise', async () => {
    const long = `{"_step":0,"s":"${'x'.repeat(10_000)}"}\n`;
    const path = file(`${long}{"_step":1}\n{"_step":2}\n`);
    const first = await readLineWindow(path, { maxBytes: 100 });
    expect(first.text).toBe(long);
    const second = await readLineWindow(path, { offset: first.nextOffset, maxBytes: 15 });
    expect(second.text).toBe('{"_step":1}\n');
  });

  it('starts at the last n lines, or at a negative offset moved forward to a line start', async () => {
    const path = file('{"_step":0}\n{"_step":1}\n{"_step":2}\n{"_step":3,');
    expect((await readLineWindow(path, { last: 2 })).text).toBe('{"_step":1}\n{"_step":2}\n');
    expect((await readLineWindow(path, { last: 0 })).text).toBe('');
    expect((await readLineWindow(path, { last: 9 })).offset).toBe(0);
    const tail = await readLineWindow(path, { offset: -25 }); // inside line 1: moved to line 2's start
    expect(tail.text).toBe('{"_step":2}\n');
    const missing = await readLineWindow(join(tempStore(), 'none.jsonl'), { offset: -5 });
    expect(missing).toEqual({ text: '', offset: 0, nextOffset: 0, size: 0 });
  });

  it('gives text streams their unterminated tail, cut at a character boundary', async () => {
    const path = file('line one\nprogress ');
    const bytes = Buffer.from('é'); // two bytes: write only the first
    appendFileSync(path, bytes.subarray(0, 1));
    const first = await readLineWindow(path, { unterminatedTail: true });
    expect(first.text).toBe('line one\n'); // a newline came first: the partial line waits
    const rest = await readLineWindow(path, { offset: first.nextOffset, unterminatedTail: true });
    expect(rest.text).toBe('progress ');
    expect(rest.nextOffset).toBe(rest.size - 1);
    appendFileSync(path, bytes.subarray(1));
    const after = await readLineWindow(path, { offset: rest.nextOffset, unterminatedTail: true });
    expect(after.text).toBe('é');
  });

  it('finds the last good history row from the end, past a torn and a damaged line', () => {
    const path = file(
      '{"_step":0,"_runtime":1}\n{"_step":1,"_runtime":2}\n{"_step":2,"_runtime":3}\ngarbage\n{"_step":3,',
    );
    expect(lastHistoryRowSync(path)).toEqual({ _step: 2, _runtime: 3 });
    expect(lastHistoryRowSync(file('{"_step":0,'))).toBeUndefined();
    const big = Array.from({ length: 5000 }, (_, i) => `{"_step":${i}}`).join('\n');
    expect(lastHistoryRowSync(file(`${big}\n${'#'.repeat(100_000)}\n`))).toEqual({ _step: 4999 });
  });

  it('seeks to a step by bisection, landing at or before its line', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `{"_step":${i},"loss":${1 / (i + 1)}}\n`).join('');
    const path = file(rows);
    const offset = await seekStep(path, 12_345);
    expect(offset).toBeGreaterThan(0);
    const window = await readLineWindow(path, { offset, maxBytes: 1 << 20 });
    const steps = parseRows(window.text).rows.map((r) => r._step as number);
    expect(steps[0]).toBeLessThanOrEqual(12_345);
    expect(steps).toContain(12_345);
    expect(rows.length - offset).toBeLessThan(rows.length / 2);
  });
});
