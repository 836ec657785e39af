// The dashboard reads a store only through the store-access seam: served over a StoreAccess that is not a
// folder (a recording wrapper that knows no path), every route still answers, through the seam's methods.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStoreAccess, init, type StoreAccess } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from './buildStore.js';

let dir: string;
let dashboard: Dashboard;
let path: string;
const calls: string[] = [];

/** Every method of `inner`, recorded; `location` says nothing about where the data is. */
function recording(inner: StoreAccess): StoreAccess {
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'location') return 'recorded://store';
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-seam-'));
  const run = await init({ project: 'seam', dir, name: 'via the seam', settings: TEST_SETTINGS });
  for (let step = 0; step < 50; step++) run.log({ loss: 1 / (step + 1), odd: step === 3 ? Number.NaN : step });
  run.alert({ title: 'seen', text: 'through the seam' });
  await writeFile(join(dir, 'notes.txt'), 'saved notes');
  await run.save(join(dir, 'notes.txt'), { basePath: dir, policy: 'now' });
  await run.finish();
  path = run.path;
  dashboard = await startDashboard({ access: recording(new FileStoreAccess(dir)), port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

const json = async (route: string) => {
  const response = await fetch(new URL(route, dashboard.url));
  expect(response.status, route).toBe(200);
  return response.json();
};

describe('the dashboard over a StoreAccess', () => {
  it('answers every read route through the seam, knowing no folder', async () => {
    expect(await json('/api/projects')).toEqual({ dir: 'recorded://store', projects: ['seam'] });
    const { runs } = await json('/api/projects/seam/runs');
    expect(runs.map((r: { name: string }) => r.name)).toEqual(['via the seam']);
    expect((await json(`/api/runs/${path}`)).lastHistoryStep).toBe(49);
    expect((await json(`/api/runs/${path}/keys`)).rows).toBe(50);
    const { series } = await json(`/api/series?runs=${path}&key=loss`);
    expect(series[0].x).toHaveLength(50);
    const odd = await json(`/api/series?runs=${path}&key=odd`);
    expect(odd.series[0].x).not.toContain(3); // NaN decoded, not charted
    expect((await json(`/api/runs/${path}/alerts`)).alerts[0].title).toBe('seen');
    expect((await json(`/api/runs/${path}/files`)).files.map((f: { name: string }) => f.name)).toContain(
      'files/notes.txt',
    );
    const file = await fetch(new URL(`/files/${path}/files/notes.txt`, dashboard.url), {
      headers: { range: 'bytes=6-' },
    });
    expect(file.status).toBe(206);
    expect(await file.text()).toBe('notes');
    expect((await json(`/api/runs/${path}/output`)).text).toBe('');
    expect(await json(`/api/runs/${path}/artifacts`)).toEqual({ logged: [], used: [] });
    for (const method of [
      'projects',
      'listRuns',
      'readRun',
      'metricDefinitions',
      'readStream',
      'listFiles',
      'readFile',
    ])
      expect(calls, method).toContain(method);
  });
});
