// The dashboard served by the server at `/` (@runlog/ui's handler), reading through the server's own endpoints
// with the visitor's token: a login page without one, the cookie after POST /login, the token's role enforced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { createDashboardHandler } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { historyLines, TestClient } from './support/httpClient.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import { sendStream } from './support/streamSender.js';
import { uploadRun } from './support/uploadRun.js';

const dir = mkdtempSync(join(tmpdir(), 'runlog-server-dashboard-'));
let server: RunningServer;
let runId: string;
const tokens = { read: '', write: '', other: '' };

beforeAll(async () => {
  const store = join(dir, 'store');
  const run = await init({ dir: store, project: 'p', name: 'charted', settings: { quiet: true } });
  for (let step = 0; step < 300; step++) run.log({ loss: 1 / (step + 1) });
  await run.finish();
  runId = run.id;
  const data = join(dir, 'server');
  await seedEmbeddedData(data);
  tokens.read = (await createTokenOffline({ data, project: 'p', role: 'read' })).token;
  tokens.write = (await createTokenOffline({ data, project: 'p', role: 'write' })).token;
  tokens.other = (await createTokenOffline({ data, project: 'q', role: 'read' })).token;
  server = await startServer({ data, port: 0, dashboard: (access) => createDashboardHandler({ access }) });
  await uploadRun(new TestClient(server.url, tokens.write), join(store, 'p', 'runs', runId), `p/${runId}`);
}, 180_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

describe('the dashboard at /', () => {
  it('asks for a token, then serves the app and its API with the cookie POST /login sets', async () => {
    const page = await get('/');
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('<form method="post" action="/login"');
    expect((await get('/api/projects')).status).toBe(401);
    const bad = await fetch(`${server.url}/login`, { method: 'POST', body: 'token=rlt_nope', redirect: 'manual' });
    expect(bad.status).toBe(401);
    const login = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.read }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const app = await get('/', { cookie });
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('<main id="app"');
    const listing = await (await get('/api/projects', { cookie })).json();
    expect(JSON.stringify(listing.projects)).toContain('"p"');
    const runs = await (await get('/api/projects/p/runs', { cookie })).json();
    expect(JSON.stringify(runs)).toContain('charted');
    const series = await (await get(`/api/series?runs=p/${runId}&key=loss&buckets=50`, { cookie })).json();
    expect(series.series[0].total).toBe(300);
    expect(series.series[0].x.length).toBeLessThanOrEqual(200);
  });

  it('draws a long history and its wide zooms from the outline, never reading all its rows over the API', async () => {
    const rows = 60_000; // past the dashboard's OUTLINE_MIN_ROWS
    const text = historyLines(0, rows, 1); // m0 = sin(step)
    await sendStream(() => new TestClient(server.url, tokens.write), 'p/long', 'history', text, 1 << 20);
    const auth = { authorization: `Bearer ${tokens.read}` };
    const chart = async (range = '') =>
      (await (await get(`/api/series?runs=p/long&key=m0&buckets=100${range}`, auth)).json()).series[0];
    const first = await chart();
    expect(first.source).toBe('index');
    expect(first.total).toBe(rows);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // past the local dashboard's background read
    const wide = await chart('&xmin=1000&xmax=50000'); // ~96 blocks for 100 buckets: wide
    expect(wide.source).toBe('index');
    expect(Math.min(...wide.x)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...wide.x)).toBeLessThanOrEqual(50_000);
    expect(wide.x.length).toBeLessThanOrEqual(400);
    // Each block's extremes are real rows: the zoom's highest point is sin at one of its steps, close to 1.
    const top = Math.max(...wide.y);
    expect(top).toBe(Math.sin(wide.x[wide.y.indexOf(top)]));
    expect(top).toBeGreaterThan(0.9999);
    const narrow = await chart('&xmin=2000&xmax=2999'); // a few blocks: their rows (only those are read)
    expect(narrow.total).toBe(1000);
    expect([Math.min(...narrow.x), Math.max(...narrow.x)]).toEqual([2000, 2999]);
    expect((await chart()).source).toBe('index'); // still: no background read of the whole history
  }, 180_000);

  it("keeps to the token's role: a read token cannot edit, another project's token sees nothing", async () => {
    const read = { authorization: `Bearer ${tokens.read}`, 'x-runlog-action': '1', 'content-type': 'application/json' };
    const edit = await fetch(`${server.url}/api/runs/p/${runId}`, {
      method: 'PATCH',
      headers: read,
      body: JSON.stringify({ notes: 'hi' }),
    });
    expect(edit.status).toBe(403);
    const write = { ...read, authorization: `Bearer ${tokens.write}` };
    const edited = await fetch(`${server.url}/api/runs/p/${runId}`, {
      method: 'PATCH',
      headers: write,
      body: JSON.stringify({ notes: 'hi' }),
    });
    expect(edited.status).toBe(200);
    const other = await get(`/api/runs/p/${runId}`, { authorization: `Bearer ${tokens.other}` });
    expect(other.status).toBe(404);
    const listing = await (await get('/api/projects', { authorization: `Bearer ${tokens.other}` })).json();
    expect(listing.projects).toEqual([]);
  });
});
