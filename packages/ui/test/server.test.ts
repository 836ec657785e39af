import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStoreAccess, init, type StoreAccess, type StreamReadOptions } from '@runlog/core';
import { type Dashboard, downsampleM4, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryCache } from '../src/historyCache.js';
import { TEST_SETTINGS } from './buildStore.js';

let dir: string;
let runId: string;
let dashboard: Dashboard;
const project = 'digits';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-server-'));
  const run = await init({ project, dir, name: 'one', config: { lr: 0.1 }, settings: TEST_SETTINGS });
  for (let step = 0; step < 100; step++) run.log({ loss: 1 / (step + 1) });
  await run.finish();
  runId = run.id;
  await writeFile(join(dir, 'secret.txt'), 'outside the run folder');
  await mkdir(join(run.dir, 'files'), { recursive: true });
  await writeFile(join(run.dir, 'files', 'notes.txt'), 'inside');
  await symlink('/etc/passwd', join(run.dir, 'files', 'escape'));
  dashboard = await startDashboard({ dir, port: 6006 });
});

afterAll(async () => {
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, dashboard.url), { headers });

describe('the dashboard server', () => {
  it('binds 127.0.0.1 and takes the next free port when the one asked for is busy', async () => {
    expect(new URL(dashboard.url).hostname).toBe('127.0.0.1');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const busy = (blocker.address() as { port: number }).port;
    const second = await startDashboard({ dir, port: busy });
    const any = await startDashboard({ dir, port: 0 });
    try {
      expect(any.port).toBeGreaterThan(0);
      expect(any.url).toBe(`http://127.0.0.1:${any.port}/`);
      expect(second.port).toBeGreaterThan(busy);
      expect((await fetch(`${second.url}api/projects`)).status).toBe(200);
    } finally {
      await any.close();
      await second.close();
      blocker.close();
    }
  });

  it('serves files inside a run folder and refuses every path outside the store', async () => {
    const inside = await get(`/files/${project}/${runId}/files/notes.txt`);
    expect(inside.status).toBe(200);
    expect(inside.headers.get('content-security-policy')).toBe('sandbox');
    expect(await inside.text()).toBe('inside');
    const range = await get(`/files/${project}/${runId}/files/notes.txt`, { range: 'bytes=1-3' });
    expect(range.status).toBe(206);
    expect(await range.text()).toBe('nsi');
    for (const path of [
      `/files/${project}/${runId}/..%2F..%2F..%2Fsecret.txt`,
      `/files/${project}/${runId}/%2Fetc%2Fpasswd`,
      `/files/${project}/${runId}/files%2F..%2F..%2F..%2F..%2Fsecret.txt`,
      `/files/${project}/${runId}/files/escape`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain('root:');
    }
    // Dot segments are resolved by the URL parser before routing: they never reach the file system.
    const dotted = await get(`/files/${project}/${runId}/../../../secret.txt`);
    expect(await dotted.text()).not.toContain('outside the run folder');
    expect((await get(`/files/${project}/..%2F..%2Fetc/passwd`)).status).toBe(400);
    expect((await get(`/api/runs/${project}/..`)).status).toBe(404);
    expect((await get(`/api/runs/${project}/%2E%2E%2F%2E%2E`)).status).toBe(400);
  });

  it('answers JSON errors for unknown runs, bad parameters and unknown routes', async () => {
    const missing = await get(`/api/runs/${project}/nosuchrun`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toMatch(/nosuchrun/);
    expect((await get(`/api/series?runs=${project}/${runId}&key=loss&buckets=abc`)).status).toBe(400);
    expect((await get('/api/series?key=loss')).status).toBe(400);
    expect((await get('/api/nothing-here')).status).toBe(404);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    // fetch cannot override Host; a raw request can.
    const { request } = await import('node:http');
    const status = await new Promise<number>((done, fail) => {
      const req = request(`${dashboard.url}api/projects`, { headers: { host: 'evil.example:6006' } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('changes a run only on explicit actions: header required, delete confirmed by id', async () => {
    const patch = (body: unknown, headers: Record<string, string> = { 'x-runlog-action': '1' }) =>
      fetch(`${dashboard.url}api/runs/${project}/${runId}`, { method: 'PATCH', headers, body: JSON.stringify(body) });
    expect((await patch({ tags: ['x'] }, {})).status).toBe(403);
    expect((await patch({ tags: [1] })).status).toBe(400);
    expect((await patch({ config: { lr: 1 } })).status).toBe(400);
    const ok = await patch({ tags: ['kept', 'kept', 'best'], notes: 'hello' });
    expect(ok.status).toBe(200);
    const run = await (await get(`/api/runs/${project}/${runId}`)).json();
    expect(run.tags).toEqual(['kept', 'best']);
    expect(run.notes).toBe('hello');
    expect(run.config.lr).toBe(0.1);

    const del = (query: string) =>
      fetch(`${dashboard.url}api/runs/${project}/${runId}${query}`, {
        method: 'DELETE',
        headers: { 'x-runlog-action': '1' },
      });
    expect((await del('')).status).toBe(400);
    expect((await del('?confirm=wrong')).status).toBe(400);
    expect((await get(`/api/runs/${project}/${runId}`)).status).toBe(200);
  });
});

describe('a live run', () => {
  it('is not deleted while its process lives (409)', async () => {
    const live = await init({ project, dir, name: 'alive', settings: TEST_SETTINGS });
    try {
      const response = await fetch(`${dashboard.url}api/runs/${project}/${live.id}?confirm=${live.id}`, {
        method: 'DELETE',
        headers: { 'x-runlog-action': '1' },
      });
      expect(response.status).toBe(409);
      expect((await response.json()).error.code).toBe('STATE_TRANSITION');
    } finally {
      await live.finish();
    }
  });
});

describe('M4 downsampling', () => {
  it('keeps first, last, minimum and maximum of every bucket and returns small ranges whole', () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from(
      { length: n },
      (_, i) => Math.sin(i / 1000) + (i === 77_777 ? 50 : 0) - (i === 12_345 ? 50 : 0),
    );
    y[500] = Number.NaN;
    const { indices, count } = downsampleM4({ x, y }, 0, n, 250);
    expect(count).toBe(n - 1);
    expect(indices.length).toBeLessThanOrEqual(1000);
    expect(indices.length).toBeGreaterThan(250);
    const kept = new Set(indices);
    for (const i of [0, n - 1, 77_777, 12_345]) expect(kept.has(i)).toBe(true);
    expect(kept.has(500)).toBe(false);
    expect([...indices].every((v, i, all) => i === 0 || v > all[i - 1])).toBe(true);
    const small = downsampleM4({ x, y }, 1000, 1400, 250);
    expect(small.indices.length).toBe(400);
  });
});

describe('live histories', () => {
  it('scans a history once, then reads only the rows appended since', async () => {
    const run = await init({ project: 'live', dir, settings: { ...TEST_SETTINGS, flushIntervalMs: 20 } });
    for (let step = 0; step < 1000; step++) run.log({ loss: step });
    await run.flush();
    const inner = new FileStoreAccess(dir);
    const offsets: number[] = [];
    const counting: StoreAccess = Object.assign(Object.create(inner) as StoreAccess, {
      readStream(run: { project: string; id: string }, stream: 'history', options: StreamReadOptions) {
        offsets.push(options.offset ?? 0);
        return inner.readStream(run, stream, options);
      },
    });
    const cache = new HistoryCache(counting);
    expect((await cache.get('live', run.id)).length).toBe(1000);
    for (let step = 1000; step < 1010; step++) run.log({ loss: step });
    await run.flush();
    expect(await cache.refresh('live', run.id)).toBe(10);
    const columns = await cache.get('live', run.id);
    expect(columns.length).toBe(1010);
    expect(columns.column('loss')?.[1009]).toBe(1009);
    // One read from the start; every later read starts where the previous one stopped.
    expect(offsets.filter((o) => o === 0)).toHaveLength(1);
    expect(offsets.at(-1)).toBeGreaterThan(0);
    await run.finish();
  });
});
