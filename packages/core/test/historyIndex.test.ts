import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, decodeJson, init } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readRows, tempStore } from './helpers.js';

const store = tempStore('runlog-index-');

type Row = Record<string, unknown>;

/** Rows of history.jsonl in bytes [start, end), parsed independently of the reader under test. */
function rowsIn(path: string, start: number, end: number): Row[] {
  const text = readFileSync(path).subarray(start, end).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => decodeJson(line) as Row);
}

function indexLines(dir: string): Array<{ start: number; end: number; rows: number; steps: number[]; keys: Row }> {
  return readFileSync(join(dir, 'history-index.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => decodeJson(line) as never);
}

/** What a block line should say about `key`, computed from the rows themselves. */
function statsOf(rows: Row[], key: string): number[] | undefined {
  const points = rows
    .filter((r) => typeof r[key] === 'number' && !Number.isNaN(r[key]))
    .map((r) => [r._step as number, r[key] as number]);
  if (points.length === 0) return undefined;
  let min = points[0];
  let max = points[0];
  for (const p of points) {
    if (p[1] < min[1]) min = p;
    if (p[1] > max[1]) max = p;
  }
  const first = points[0];
  const last = points[points.length - 1];
  return [points.length, first[0], first[1], last[0], last[1], min[0], min[1], max[0], max[1]];
}

const wave = (i: number) => Math.sin(i / 37) + (i % 101 === 0 ? 3 : 0);

describe('history index (history-index.jsonl)', () => {
  it('describes every row: contiguous blocks whose stats match the rows in their byte range', async () => {
    const run = await quietInit(store, { project: 'idx', id: 'full' });
    run.defineMetric('val_loss', { stepMetric: 'epoch' }); // rows with val_loss get the last epoch synced in
    for (let i = 0; i < 3000; i++) {
      const row: Row = { loss: wave(i), lr: 0.01 };
      if (i % 100 === 0) row.epoch = i / 100;
      if (i % 7 === 0) row.val_loss = wave(i + 3);
      if (i % 3 === 0) row.sparse = -i; // not in every row
      if (i === 1234) row.loss = Number.NaN; // left out of the stats
      if (i === 2000) row.spike = Number.POSITIVE_INFINITY;
      if (i % 500 === 0) row.note = `row ${i}`; // strings are not indexed
      if (i % 10 === 0)
        run.log(row, { commit: false }); // accumulated rows are indexed at commit
      else run.log(row);
    }
    await run.finish();
    const history = join(run.dir, 'history.jsonl');
    const blocks = indexLines(run.dir);
    const all = readRows(history);
    expect(blocks[0].start).toBe(0);
    expect(blocks.at(-1)!.end).toBe(statSync(history).size);
    for (let b = 1; b < blocks.length; b++) expect(blocks[b].start).toBe(blocks[b - 1].end);
    expect(blocks.reduce((n, b) => n + b.rows, 0)).toBe(all.length);
    expect(blocks.slice(0, -1).every((b) => b.rows === 512)).toBe(true); // the last one was closed by finish
    for (const block of blocks) {
      const rows = rowsIn(history, block.start, block.end);
      expect(rows.length).toBe(block.rows);
      expect(block.steps).toEqual([rows[0]._step, rows.at(-1)!._step]);
      for (const key of ['loss', 'lr', 'sparse', 'spike', 'epoch', 'val_loss'])
        expect(block.keys[key]).toEqual(statsOf(rows, key));
      expect(block.keys.note).toBeUndefined();
    }
  });

  it('history({ samples }) from the index keeps the first, last and extreme rows, all real rows', async () => {
    const run = await quietInit(store, { project: 'idx', id: 'sampled' });
    for (let i = 0; i < 4000; i++) run.log({ loss: wave(i), acc: i / 4000, drop: i === 2222 ? -50 : 0 });
    await run.finish();
    const view = await new Api({ dir: store }).run('idx/sampled');
    const every = readRows(join(run.dir, 'history.jsonl'));
    const byStep = new Map(every.map((r) => [r._step, r]));
    const sampled = await view.history({ samples: 100, useIndex: true });
    const scanned = await view.history({ samples: 100, useIndex: false });
    for (const rows of [sampled, scanned]) {
      expect(rows[0]).toEqual(every[0]);
      expect(rows.at(-1)).toEqual(every.at(-1));
      for (const row of rows) expect(row).toEqual(byStep.get(row._step));
      for (const key of ['loss', 'acc', 'drop']) {
        const values = every.map((r) => r[key] as number);
        const got = rows.map((r) => r[key] as number);
        expect(Math.min(...got)).toBe(Math.min(...values));
        expect(Math.max(...got)).toBe(Math.max(...values));
      }
      expect(rows.length).toBeGreaterThan(80);
      expect(rows.length).toBeLessThanOrEqual(100);
      const steps = rows.map((r) => r._step as number);
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    }
    // keys: only those keys (and _step), extremes of the requested key kept
    const loss = await view.history({ keys: ['loss'], samples: 50, useIndex: true });
    expect(Object.keys(loss[0]).sort()).toEqual(['_step', 'loss']);
    const lossValues = every.map((r) => r.loss as number);
    expect(loss.map((r) => r.loss)).toContain(Math.max(...lossValues));
    expect(loss.map((r) => r.loss)).toContain(Math.min(...lossValues));
  });

  it('covers a crashed session: its unindexed rows are read from history, the resumed session indexed again', async () => {
    const id = 'crashed';
    // A child process logs 1300 rows (two full blocks + 276), flushes, and is killed: the 276 rows are unindexed.
    const script = `
      import { init } from '@runlog/core';
      const run = await init({ project: 'idx', id: '${id}', dir: ${JSON.stringify(store)},
        settings: { quiet: true, console: false, systemMetrics: false } });
      for (let i = 0; i < 1300; i++) run.log({ loss: i === 1200 ? -100 : Math.cos(i / 50) });
      await run.flush();
      await run.flush();
      process.kill(process.pid, 'SIGKILL');`;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: join(__dirname, '..'),
        stdio: 'pipe',
      });
    } catch {
      // killed, as intended
    }
    const resumed = await init({
      project: 'idx',
      id,
      dir: store,
      resume: 'must',
      settings: { quiet: true, console: false, systemMetrics: false },
    });
    for (let i = 0; i < 1100; i++) resumed.log({ loss: i === 700 ? 100 : Math.cos(i / 50) });
    await resumed.finish();

    const blocks = indexLines(resumed.dir);
    expect(blocks.slice(0, 2).map((b) => b.rows)).toEqual([512, 512]);
    expect(blocks[2].start).toBeGreaterThan(blocks[1].end); // the killed session's last rows: a gap
    const view = await new Api({ dir: store }).run(`idx/${id}`);
    const index = (await view.historyIndex())!;
    expect(index.indexedRows + index.gapRows).toBe(2400);
    const envelope = index.envelope('loss');
    expect(Math.min(...envelope.values)).toBe(-100); // from the gap
    expect(Math.max(...envelope.values)).toBe(100); // from the resumed session's blocks
    const steps = envelope.steps;
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    // a step range read through the index: blocks before and after the gap, and the gap's own rows
    const range = await index.readStepRange(1000, 1400);
    expect(range.map((r) => r._step)).toEqual(Array.from({ length: 401 }, (_, i) => 1000 + i));
    expect(range.find((r) => r._step === 1200)?.loss).toBe(-100);
    expect(index.blocksInRange(1000, 1400)).toBe(2); // the second killed-session block and the first resumed one
    const rows = await view.history({ samples: 40, useIndex: true });
    expect(rows.map((r) => r.loss)).toEqual(expect.arrayContaining([-100, 100]));
    expect(rows[0]._step).toBe(0);
    expect(rows.at(-1)!._step).toBe(2399);
  }, 60_000);

  it('is not trusted when it contradicts history: reads fall back to the rows', async () => {
    const run = await quietInit(store, { project: 'idx', id: 'cut' });
    for (let i = 0; i < 2000; i++) run.log({ loss: i });
    await run.finish();
    const history = join(run.dir, 'history.jsonl');
    truncateSync(history, Math.floor(statSync(history).size / 2)); // the index now points past the end
    const view = await new Api({ dir: store }).run('idx/cut');
    expect(await view.historyIndex()).toBeUndefined();
    const rows = await view.history({ samples: 10, useIndex: true });
    expect(rows[0]).toMatchObject({ _step: 0, loss: 0 });
    // a damaged index line is skipped; the rows it described become a gap read from history
    const other = await quietInit(store, { project: 'idx', id: 'damaged' });
    for (let i = 0; i < 1600; i++) other.log({ loss: i === 700 ? -1 : i });
    await other.finish();
    const indexPath = join(other.dir, 'history-index.jsonl');
    const lines = readFileSync(indexPath, 'utf8').split('\n');
    lines[1] = lines[1].slice(0, 20);
    writeFileSync(indexPath, lines.join('\n'));
    const damaged = (await (await new Api({ dir: store }).run('idx/damaged')).historyIndex())!;
    expect(damaged.gapRows).toBe(512);
    expect(Math.min(...damaged.envelope('loss').values)).toBe(-1);
  });
});
