import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTLINE_MIN_ROWS } from '../src/outlineSeries.js';
import { TEST_SETTINGS } from './buildStore.js';

const ROWS = OUTLINE_MIN_ROWS + 10_000;
let dir: string;
let path: string;
let dashboard: Dashboard;
let rows: Array<{ _step: number; loss: number }>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-outline-'));
  const run = await init({ project: 'long', dir, settings: TEST_SETTINGS });
  for (let i = 0; i < ROWS; i++)
    run.log({
      loss: Math.sin(i / 300) + (i === 31_337 ? 9 : 0) + (i === 44_444 ? -9 : 0),
      acc: i / ROWS,
      ...(i % 1000 === 0 ? { val: { acc: i / 1000 } } : {}), // nested: not indexed
    });
  run.summary.set('note', 'a string summary');
  await run.finish();
  path = run.path;
  rows = readFileSync(join(run.dir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  dashboard = await startDashboard({ dir, port: 0 });
}, 60_000);

afterAll(async () => {
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

interface SeriesBody {
  series: Array<{ x: number[]; y: number[]; total: number; rows: number; downsampled: boolean; source: string }>;
}
const series = async () =>
  (await (await fetch(`${dashboard.url}api/series?runs=${path}&key=loss&buckets=500`)).json()) as SeriesBody;

describe('a long history drawn before its rows are read', () => {
  it('lists keys from the index and the summary, and draws the first chart from the index', async () => {
    const keys = (await (await fetch(`${dashboard.url}api/keys?runs=${path}`)).json()) as {
      keys: Array<{ key: string; kind: string }>;
    };
    expect(keys.keys).toEqual(
      expect.arrayContaining([
        { key: 'loss', kind: 'number', runs: [path] },
        { key: 'acc', kind: 'number', runs: [path] },
        { key: 'note', kind: 'string', runs: [path] },
        { key: 'val.acc', kind: 'number', runs: [path] },
      ]),
    );
    const first = (await series()).series[0];
    expect(first.source).toBe('index');
    expect(first.total).toBe(ROWS);
    expect(first.rows).toBe(ROWS);
    expect(first.x.length).toBeLessThanOrEqual(4 * 500);
    const byStep = new Map(rows.map((r) => [r._step, r.loss]));
    for (let i = 0; i < first.x.length; i++) expect(first.y[i]).toBe(byStep.get(first.x[i])); // real rows only
    expect(Math.max(...first.y)).toBe(Math.max(...rows.map((r) => r.loss)));
    expect(Math.min(...first.y)).toBe(Math.min(...rows.map((r) => r.loss)));
    expect(first.x[0]).toBe(0);
    expect(first.x.at(-1)).toBe(ROWS - 1);

    // A zoom before the rows are read: only the blocks of the range are read, every point of it is sent.
    const zoom = (await (
      await fetch(`${dashboard.url}api/series?runs=${path}&key=loss&buckets=500&xmin=31000&xmax=31500`)
    ).json()) as SeriesBody;
    expect(zoom.series[0].source).toBe('index');
    expect(zoom.series[0].downsampled).toBe(false);
    expect(zoom.series[0].x).toEqual(Array.from({ length: 501 }, (_, i) => 31_000 + i));
    expect(zoom.series[0].y).toEqual(zoom.series[0].x.map((step) => byStep.get(step)));
    // A wide zoom (more blocks than half the buckets) is answered from the rows.
    const wide = (await (
      await fetch(`${dashboard.url}api/series?runs=${path}&key=loss&buckets=100&xmin=0&xmax=40000`)
    ).json()) as SeriesBody;
    expect(wide.series[0].source).toBe('rows');
    expect(Math.max(...wide.series[0].y)).toBe(Math.max(...rows.slice(0, 40_001).map((r) => r.loss)));

    // A nested key is not in the index: its series comes from the rows, every point of it.
    const nested = (await (
      await fetch(`${dashboard.url}api/series?runs=${path}&key=val.acc&buckets=500`)
    ).json()) as SeriesBody;
    expect(nested.series[0].source).toBe('rows');
    expect(nested.series[0].x).toEqual(Array.from({ length: ROWS / 1000 }, (_, i) => i * 1000));
    // Meanwhile the rows were read in the background: the same request now answers from them.
    let later = first;
    for (let tries = 0; tries < 100 && later.source !== 'rows'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      later = (await series()).series[0];
    }
    expect(later.source).toBe('rows');
    expect(Math.max(...later.y)).toBe(Math.max(...first.y));
    expect(Math.min(...later.y)).toBe(Math.min(...first.y));
    expect(later.total).toBe(first.total);
  }, 60_000);
});

describe('a long tfjs-style history charted against its stepMetric (batch/* vs batch/batch_step)', () => {
  const BATCHES = OUTLINE_MIN_ROWS + 5_000;
  let store: string;
  let server: Dashboard;
  let runPath: string;
  const lossAt = (b: number) => Math.cos(b / 400) + (b === 33_333 ? 9 : 0) + (b === 44_000 ? -9 : 0);

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'runlog-ui-stepmetric-'));
    const run = await init({ project: 'tfjs', dir: store, settings: TEST_SETTINGS });
    // As @runlog/tfjs's MetricsLogger defines them: batch rows carry their own counter, epoch rows step too.
    run.defineMetric('batch/batch_step', { hidden: true });
    run.defineMetric('batch/*', { stepMetric: 'batch/batch_step' });
    run.defineMetric('epoch/*', { stepMetric: 'epoch/epoch' });
    for (let b = 0; b < BATCHES; b++) {
      run.log({ 'batch/batch_step': b, 'batch/loss': lossAt(b) });
      if (b % 1000 === 999) run.log({ 'epoch/epoch': (b + 1) / 1000, 'epoch/loss': lossAt(b) });
    }
    await run.finish();
    runPath = run.path;
    server = await startDashboard({ dir: store, port: 0 });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await rm(store, { recursive: true, force: true });
  });

  const get = async (query: string) =>
    (await (
      await fetch(`${server.url}api/series?runs=${runPath}&key=batch/loss&x=batch/batch_step&${query}`)
    ).json()) as SeriesBody;

  it('draws the first chart from the index, x in batch steps, extremes kept', async () => {
    const first = (await get('buckets=500')).series[0];
    expect(first.source).toBe('index');
    expect(first.total).toBe(BATCHES);
    expect(first.x.length).toBeLessThanOrEqual(4 * 500);
    expect(first.x[0]).toBe(0);
    expect(first.x.at(-1)).toBe(BATCHES - 1);
    expect(first.x).toEqual([...first.x].sort((a, b) => a - b));
    const values = new Set(Array.from({ length: BATCHES }, (_, b) => lossAt(b)));
    expect(first.y.every((y) => values.has(y))).toBe(true); // real values of batch/loss only
    const top = first.y.indexOf(Math.max(...first.y));
    expect(first.y[top]).toBe(lossAt(33_333));
    expect(Math.abs(first.x[top] - 33_333)).toBeLessThanOrEqual(1); // interpolated inside its block
    expect(Math.min(...first.y)).toBe(lossAt(44_000));
  });

  it('zooms on a batch-step range by reading only its blocks, every point exact', async () => {
    const zoom = (await get('buckets=500&xmin=30000&xmax=30400')).series[0];
    expect(zoom.source).toBe('index');
    expect(zoom.downsampled).toBe(false);
    expect(zoom.x).toEqual(Array.from({ length: 401 }, (_, i) => 30_000 + i));
    expect(zoom.y).toEqual(zoom.x.map(lossAt));
    // An x that does not rise with _step (a metric against a metric) is answered from the rows.
    const scatter = (await (
      await fetch(`${server.url}api/series?runs=${runPath}&key=batch/batch_step&x=batch/loss&buckets=500`)
    ).json()) as SeriesBody;
    expect(scatter.series[0].source).toBe('rows');
  });
});
