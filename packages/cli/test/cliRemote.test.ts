// `runlog ls/show/export/tail --host`: the built CLI reading a real server (PGlite) through the remote Api, the
// run copied there from a local store written by the engine.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../../server/src/index.js';
import { TestClient } from '../../server/test/support/httpClient.js';
import { seedEmbeddedData } from '../../server/test/support/pgliteTemplate.js';
import { uploadRun } from '../../server/test/support/uploadRun.js';
import { assertBuilt, runlog } from './runlog.js';

const dir = mkdtempSync(join(tmpdir(), 'runlog-cli-remote-'));
let server: RunningServer;
let token: string;
let runId: string;

beforeAll(async () => {
  assertBuilt();
  const store = join(dir, 'store');
  const run = await init({
    dir: store,
    project: 'p',
    name: 'remote-run',
    config: { lr: 0.5 },
    settings: { quiet: true },
  });
  for (let step = 0; step < 50; step++) run.log({ loss: 1 / (step + 1), acc: step / 50 });
  await run.finish();
  runId = run.id;
  const data = join(dir, 'server');
  await seedEmbeddedData(data);
  token = (await createTokenOffline({ data, project: 'p', role: 'read' })).token;
  const writer = (await createTokenOffline({ data, project: 'p', role: 'write' })).token;
  server = await startServer({ data, port: 0 });
  await uploadRun(new TestClient(server.url, writer), join(store, 'p', 'runs', runId), `p/${runId}`);
}, 180_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runlog --host', () => {
  it('lists runs with a filter from the server ($RUNLOG_HOST, $RUNLOG_API_KEY)', async () => {
    const env = { RUNLOG_HOST: server.url, RUNLOG_API_KEY: token };
    const listed = await runlog(['ls', '--json', '--filter', '{"state":"finished","summary.loss":{"$lt":0.5}}'], env);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout).map((r: { id: string }) => r.id)).toEqual([runId]);
    const none = await runlog(['ls', '--filter', '{"state":"running"}'], env);
    expect(none.stderr).toContain(`no runs match the filter in ${server.url}`);
  });

  it('shows, exports and tails a run with --host and --api-key', async () => {
    const remote = ['--host', server.url, '--api-key', token];
    const shown = await runlog(['show', `p/${runId}`, ...remote]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('remote-run');
    const out = join(dir, 'h.csv');
    const exported = await runlog(['export', `p/${runId}`, '--out', out, ...remote]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(51);
    const tailed = await runlog(['tail', `p/${runId}`, '--history', '-n', '3', '--json', ...remote]);
    expect(tailed.code, tailed.stderr).toBe(0);
    expect(
      tailed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).row._step),
    ).toEqual([47, 48, 49]);
  });

  it('says why when the token is missing or the flags conflict', async () => {
    const denied = await runlog(['ls', '--host', server.url], { RUNLOG_API_KEY: undefined });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('UNAUTHENTICATED');
    const both = await runlog(['ls', '--host', server.url, '--dir', dir]);
    expect(both.code).toBe(2);
  });
});
