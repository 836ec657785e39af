import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, type HistoryRow, init } from '@runlog/core';
import { parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempStore } from './helpers.js';

let dir: string;
let path: string;
const N = 3000;
const lossOf = (i: number) => 1 + Math.sin(i / 40) + (i === 1234 ? 10 : 0) - (i === 2222 ? 5 : 0);

beforeAll(async () => {
  dir = tempStore('runlog-api-history-');
  const run = await init({
    dir,
    project: 'hist',
    settings: { quiet: true, console: false, systemMetrics: true, systemMetricsIntervalMs: 50 },
  });
  for (let i = 0; i < N; i++) {
    const row: Record<string, unknown> = { loss: lossOf(i), epoch: Math.floor(i / 100) };
    if (i % 100 === 99) row['val/acc'] = i / N;
    if (i === 10) row.special = Number.NaN;
    if (i === 11) row.special = Number.NEGATIVE_INFINITY;
    if (i === 12) row.special = -0;
    if (i === 13) row.note = 'has, a "comma"';
    if (i === 14) row.stats = { mean: 1, nested: { deep: 2 } };
    run.log(row);
  }
  await new Promise((r) => setTimeout(r, 300)); // a few system samples
  await run.finish();
  path = `hist/${run.id}`;
}, 60_000);

const rowsOnDisk = (): HistoryRow[] => {
  const file = join(dir, 'hist', 'runs', path.split('/')[1], 'history.jsonl');
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
};

describe('history(): sampled rows', () => {
  it("keeps first, last and each key's extremes, spread evenly, in step order", async () => {
    const run = await new Api({ dir }).run(path);
    const rows = await run.history({ keys: ['loss'], samples: 100 });
    expect(rows.length).toBeLessThanOrEqual(100);
    expect(rows.length).toBeGreaterThan(80);
    const steps = rows.map((r) => r._step as number);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(N - 1);
    expect(steps).toContain(1234); // the maximum of loss
    expect(steps).toContain(2222); // the minimum
    expect(Object.keys(rows[1]).sort()).toEqual(['_step', 'loss']);
    const gaps = steps.slice(1).map((s, i) => s - steps[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * Math.ceil(N / 100)); // an even spread: no big holes
  });

  it('with several keys returns rows that hold them all; xAxis is included', async () => {
    const run = await new Api({ dir }).run(path);
    const rows = await run.history({ keys: ['val/acc', 'loss'], xAxis: 'epoch', samples: 500 });
    expect(rows).toHaveLength(N / 100);
    expect(rows[0]).toEqual({ _step: 99, epoch: 0, 'val/acc': 99 / N, loss: lossOf(99) });
  });

  it('returns every row when there are fewer than samples, values decoded', async () => {
    const run = await new Api({ dir }).run(path);
    const rows = await run.history({ keys: ['special'] });
    expect(rows.map((r) => r.special)).toEqual([Number.NaN, Number.NEGATIVE_INFINITY, -0]);
    expect(Object.is(rows[2].special, -0)).toBe(true);
    const nested = await run.history({ keys: ['stats.nested.deep'] });
    expect(nested).toEqual([{ _step: 14, 'stats.nested.deep': 2 }]);
  });

  it('reads the system stream', async () => {
    const run = await new Api({ dir }).run(path);
    const rows = await run.history({ stream: 'system' });
    expect(rows.length).toBeGreaterThan(0);
    expect(typeof rows[0]._runtime).toBe('number');
    expect(Object.keys(rows[0]).some((k) => k.startsWith('system/'))).toBe(true);
  });

  it('names absent metrics clearly (INVALID_KEY) and rejects bad options', async () => {
    const run = await new Api({ dir }).run(path);
    await expect(run.history({ keys: ['los'] })).rejects.toMatchObject({
      code: 'INVALID_KEY',
      message: expect.stringMatching(/no history row has "los"; logged keys are: .*loss/),
    });
    await expect(run.scanHistory({ keys: ['loss', 'nope'] }).toArray()).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(run.history({ samples: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(run.history({ stream: 'gpu' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => run.scanHistory({ pageSize: -1 })).toThrow(/pageSize/);
    expect(() => run.scanHistory({ keys: 'loss' as never })).toThrow(/keys must be an array/);
  });
});

describe('scanHistory(): streaming', () => {
  it('yields every row in order, identical to the file, row by row or page by page', async () => {
    const run = await new Api({ dir }).run(path);
    const rows: HistoryRow[] = [];
    for await (const row of run.scanHistory()) rows.push(row);
    const disk = rowsOnDisk();
    expect(rows).toHaveLength(N);
    expect(rows[100]).toEqual(disk[100]);
    expect(rows[10].special).toBeNaN();
    const sizes: number[] = [];
    for await (const page of run.scanHistory({ pageSize: 1000 }).pages()) sizes.push(page.length);
    expect(sizes).toEqual([1000, 1000, 1000]);
  });

  it('honours keys, minStep (inclusive) and maxStep (exclusive), skipping ahead in the file', async () => {
    const run = await new Api({ dir }).run(path);
    const rows = await run.scanHistory({ keys: ['loss'], minStep: 2500, maxStep: 2510 }).toArray();
    expect(rows.map((r) => r._step)).toEqual([...Array(10).keys()].map((i) => 2500 + i));
    expect(rows[0]).toEqual({ _step: 2500, loss: lossOf(2500) });
    const val = await run.scanHistory({ keys: ['val/acc'], minStep: 150 }).toArray();
    expect(val[0]._step).toBe(199);
    expect(await run.scanHistory({ minStep: N + 5 }).toArray()).toEqual([]);
    // a key seen only outside the range is still a known key (the summary has it)
    expect(await run.scanHistory({ keys: ['val/acc'], maxStep: 50 }).toArray()).toEqual([]);
  });

  it('reads chosen keys without parsing flat lines, identical to parsing them', async () => {
    const run = await new Api({ dir }).run(path);
    const keys = ['loss', 'epoch', 'special', 'note'];
    for (const key of keys) {
      const expected = rowsOnDisk()
        .filter((r) => r[key] !== undefined)
        .map((r) => ({ _step: r._step, [key]: r[key] }));
      const got = await run.scanHistory({ keys: [key] }).toArray();
      expect(got.length, key).toBe(expected.length);
      if (key !== 'special') expect(got).toEqual(expected); // special holds NaN/-0 (decoded), checked above
    }
  });

  it('stops early when the consumer breaks out', async () => {
    const run = await new Api({ dir }).run(path);
    let count = 0;
    for await (const _ of run.scanHistory()) if (++count === 5) break;
    expect(count).toBe(5);
  });
});

describe('exportHistory()', () => {
  it('writes CSV with a header, spelled-out NaN/-0 and quoted fields', async () => {
    const run = await new Api({ dir }).run(path);
    const out = join(dir, 'h.csv');
    const result = await run.exportHistory({ format: 'csv', path: out });
    expect(result).toMatchObject({ rows: N, format: 'csv' });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 3)).toEqual(['_step', '_runtime', '_timestamp']);
    expect(lines).toHaveLength(N + 1);
    const cell = (step: number, key: string) => lines[step + 1].split(',')[header.indexOf(key)];
    expect(cell(10, 'special')).toBe('NaN');
    expect(cell(12, 'special')).toBe('-0');
    expect(cell(5, 'special')).toBe('');
    expect(Number(cell(7, 'loss'))).toBe(lossOf(7));
    expect(lines[14]).toContain('"has, a ""comma"""');
    expect(lines[15]).toContain('"{""mean"":1,""nested"":{""deep"":2}}"');
  });

  it('writes JSON lines that decode to the same rows', async () => {
    const run = await new Api({ dir }).run(path);
    const out = join(dir, 'loss.jsonl');
    await run.exportHistory({ format: 'jsonl', path: out, keys: ['loss'], maxStep: 100 });
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(100);
    expect(lines[3]).toEqual({ _step: 3, loss: lossOf(3) });
  });

  it('writes Parquet that hyparquet reads back: typed columns, NaN kept, objects as JSON', async () => {
    const run = await new Api({ dir }).run(path);
    const out = join(dir, 'h.parquet');
    const fractions: number[] = [];
    await run.exportHistory({ format: 'parquet', path: out, onProgress: (f) => fractions.push(f) });
    expect(fractions.at(-1)).toBe(1);
    const bytes = readFileSync(out);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows).toHaveLength(N);
    expect(rows[7]._step).toBe(7n);
    expect(rows[7].loss).toBe(lossOf(7));
    expect(rows[99]['val/acc']).toBe(99 / N);
    expect(rows[98]['val/acc']).toBeNull();
    expect(rows[10].special).toBeNaN();
    expect(rows[11].special).toBe(Number.NEGATIVE_INFINITY);
    expect(rows[13].note).toBe('has, a "comma"');
    expect(rows[14].stats).toEqual({ mean: 1, nested: { deep: 2 } });
  });

  it('refuses unknown formats and unwritable paths with clear errors', async () => {
    const run = await new Api({ dir }).run(path);
    await expect(run.exportHistory({ format: 'xlsx' as never, path: join(dir, 'x') })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      run.exportHistory({ format: 'csv', path: join(dir, 'no', 'such', 'dir', 'x.csv') }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/does .* exist/),
    });
  });
});
