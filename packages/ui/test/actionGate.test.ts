import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../src/actionGate.js';
import { TEST_SETTINGS } from './buildStore.js';

// Issue #19 item 13: bound off loopback, the dashboard is read-only unless a token is given.

let dir: string;
let runId: string;
const project = 'gate';
const TOKEN = 'gate-token-7f3a9c';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-gate-'));
  const run = await init({ project, dir, name: 'gated', settings: TEST_SETTINGS });
  run.log({ loss: 1 });
  await run.finish();
  runId = run.id;
  delete process.env.RUNLOG_UI_TOKEN;
});

afterAll(async () => {
  delete process.env.RUNLOG_UI_TOKEN;
  await rm(dir, { recursive: true, force: true });
});

async function withDashboard(options: { host: string; token?: string }, use: (d: Dashboard) => Promise<void>) {
  const dashboard = await startDashboard({ dir, port: 0, ...options });
  try {
    await use(dashboard);
  } finally {
    await dashboard.close();
  }
}

/** A PATCH of the run's notes through 127.0.0.1 (the dashboard listens on every interface in these tests). */
async function editNotes(dashboard: Dashboard, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${dashboard.port}/api/runs/${project}/${runId}`, {
    method: 'PATCH',
    headers: { 'x-runlog-action': '1', ...headers },
    body: JSON.stringify({ notes: 'edited' }),
  });
  const text = await response.text();
  return { status: response.status, text, code: response.ok ? undefined : JSON.parse(text).error.code };
}

describe('a dashboard reachable from the network', () => {
  it('is read-only without a token: reads work, edits and deletes are 403 READ_ONLY', async () => {
    await withDashboard({ host: '0.0.0.0' }, async (dashboard) => {
      expect((await fetch(`http://127.0.0.1:${dashboard.port}/api/runs/${project}/${runId}`)).status).toBe(200);
      expect(await editNotes(dashboard)).toMatchObject({ status: 403, code: 'READ_ONLY' });
      const del = await fetch(`http://127.0.0.1:${dashboard.port}/api/runs/${project}/${runId}?confirm=${runId}`, {
        method: 'DELETE',
        headers: { 'x-runlog-action': '1' },
      });
      expect(del.status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${dashboard.port}/api/runs/${project}/${runId}`)).status).toBe(200);
    });
  });

  it('allows edits with the token (option or RUNLOG_UI_TOKEN) and never echoes it', async () => {
    for (const options of [{ host: '0.0.0.0', token: TOKEN }, { host: '0.0.0.0' }]) {
      if (!options.token) process.env.RUNLOG_UI_TOKEN = TOKEN;
      await withDashboard(options, async (dashboard) => {
        const missing = await editNotes(dashboard);
        expect(missing).toMatchObject({ status: 401, code: 'TOKEN_REQUIRED' });
        const wrong = await editNotes(dashboard, { authorization: `Bearer ${TOKEN}x` });
        expect(wrong).toMatchObject({ status: 401, code: 'TOKEN_REQUIRED' });
        expect(wrong.text).not.toContain(TOKEN);
        expect(await editNotes(dashboard, { authorization: `Bearer ${TOKEN.slice(0, -1)}` })).toMatchObject({
          status: 401,
        });
        expect((await editNotes(dashboard, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      });
      delete process.env.RUNLOG_UI_TOKEN;
    }
  });

  it('on loopback keeps edits open without a token, and asks for it when one is set', async () => {
    await withDashboard({ host: '127.0.0.1' }, async (dashboard) => {
      expect((await editNotes(dashboard)).status).toBe(200);
    });
    await withDashboard({ host: '127.0.0.1', token: TOKEN }, async (dashboard) => {
      expect((await editNotes(dashboard)).status).toBe(401);
    });
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.5', 'example.com', '10.0.0.1'].some(isLoopback)).toBe(false);
  });
});
