import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from './buildStore.js';

// Issue #19 item 16: the runs list stays small and quick when runs hold rows and summary values at the size bound.

let dir: string;
let dashboard: Dashboard;
const project = 'huge';
const RUNS = 3;
const STRING = 'x'.repeat((1 << 20) - 64);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-huge-'));
  for (let r = 0; r < RUNS; r++) {
    const run = await init({ project, dir, name: `huge-${r}`, settings: TEST_SETTINGS });
    run.log({ loss: 1 });
    // Three 1 MiB texts in one row (within the 4 MiB bound): the summary keeps them as the keys' last values.
    run.log({ loss: 0.5, a: STRING, b: STRING, c: STRING });
    run.summary.set('notes', [STRING, STRING, STRING]);
    run.summary.set(
      'table',
      Array.from({ length: 5000 }, (_, i) => ({ i, label: `row ${i}` })),
    );
    await run.finish();
  }
  dashboard = await startDashboard({ dir, port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the runs list over runs with huge rows', () => {
  it('sends each summary value bounded, so the list stays small and quick', async () => {
    const started = performance.now();
    const response = await fetch(`${dashboard.url}api/projects/${project}/runs`);
    const body = await response.text();
    const ms = performance.now() - started;
    expect(response.status).toBe(200);
    expect(body.length).toBeLessThan(RUNS * 4096);
    const { runs } = JSON.parse(body);
    expect(runs).toHaveLength(RUNS);
    const summary = runs[0].summary;
    expect(summary.loss).toBe(0.5);
    expect(summary.a).toBe(`${STRING.slice(0, 200)}…`);
    expect(summary.notes).toEqual([`${STRING.slice(0, 200)}…`, `${STRING.slice(0, 200)}…`, `${STRING.slice(0, 200)}…`]);
    expect(summary.table).toEqual({ _type: 'list', size: 5000 });
    // 6.7 s for one 100 MB row before the bound; generous for a loaded machine.
    expect(ms).toBeLessThan(5000);
    // The run page still gets the whole value.
    const detail = await (await fetch(`${dashboard.url}api/runs/${project}/${runs[0].id}`)).json();
    expect(detail.summary.a).toBe(STRING);
  });
});
