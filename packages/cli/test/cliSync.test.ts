import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { createTokenOffline, type RunningServer, startServer } from '@runlog/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEmbeddedData } from '../../server/test/support/pgliteTemplate.js';
import { type CliStore, makeCliStore } from './cliStore.js';
import { assertBuilt, runlog, startLiveRun } from './runlog.js';

// `runlog sync` against a real server (PGlite, folder blobs) in this process.
const work = mkdtempSync(join(tmpdir(), 'runlog-cli-sync-'));
let store: CliStore;
let server: RunningServer;
let token: string;
let readToken: string;

beforeAll(async () => {
  assertBuilt();
  store = await makeCliStore();
  const data = join(work, 'data');
  await seedEmbeddedData(data);
  token = (await createTokenOffline({ data, role: 'write' })).token;
  readToken = (await createTokenOffline({ data, role: 'read' })).token;
  server = await startServer({ data, port: 0 });
}, 180_000);
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
  if (store) rmSync(store.dir, { recursive: true, force: true });
});

async function serverState(project: string, runId: string) {
  const response = await fetch(`${server.url}/api/v1/projects/${project}/runs/${runId}/sync`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as { streams: Record<string, { hwm: number; rows: number }>; files: object };
}

describe('runlog sync', () => {
  it('sends finished, failed, crashed and running runs with their artifacts; a second sync sends nothing', async () => {
    const live = await startLiveRun(store.dir, 'live01', 'forever');
    try {
      await new Promise((r) => setTimeout(r, 500));
      const first = await runlog(['sync', '--all', '--dir', store.dir, '--host', server.url, '--json'], {
        RUNLOG_API_KEY: token,
      });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const report = JSON.parse(first.stdout);
      const states = Object.fromEntries(report.runs.map((r: { runId: string; state: string }) => [r.runId, r.state]));
      expect(states).toMatchObject({ [store.ids.alpha]: 'finished', [store.ids.beta]: 'failed', crash01: 'crashed' });
      // The live fixture beats every 200 ms: on a machine at load 20+ a starved beat reads as crashed (a dead
      // writer), which the sync treats the same way except that a torn last line is sent too.
      expect(['running', 'crashed']).toContain(states.live01);
      const producer = report.runs.find((r: { runId: string }) => r.runId === store.ids.producer);
      expect(producer.artifacts).toMatchObject({ versions: 1, created: 1, blobs: { uploaded: 2 } });

      // Every byte of the finished run's streams is on the server, and its rows were stored once.
      const alphaDir = join(store.dir, 'vision', 'runs', store.ids.alpha);
      const alpha = await serverState('vision', store.ids.alpha);
      expect(alpha.streams.history).toEqual({ hwm: statSync(join(alphaDir, 'history.jsonl')).size, rows: 500 });
    } finally {
      live.kill('SIGKILL');
    }
    const second = await runlog(['sync', '--all', '--dir', store.dir, '--host', server.url], { RUNLOG_API_KEY: token });
    expect(second.code).toBe(0);
    // The live run was killed after the first sync: what it wrote since is sent; everything else is up to date.
    const lines = second.stdout.trim().split('\n');
    for (const line of lines.filter((l) => !l.includes('live01') && !l.startsWith('artifacts'))) {
      expect(line).toMatch(/: up to date$/);
    }
    const third = await runlog(['sync', '--all', '--dir', store.dir, '--host', server.url, '--json'], {
      RUNLOG_API_KEY: token,
    });
    const again = JSON.parse(third.stdout);
    const sent = again.runs.flatMap((r: { streams: unknown[]; documents: unknown[] }) => [
      ...r.streams,
      ...r.documents,
    ]);
    expect(sent).toEqual([]);
    expect(again.artifacts.sentBytes).toBe(0);
    const liveState = await serverState('live', 'live01');
    const liveHistory = readFileSync(join(store.dir, 'live', 'runs', 'live01', 'history.jsonl'));
    expect(liveState.streams.history.hwm).toBe(liveHistory.lastIndexOf(0x0a) + 1);
  }, 120_000);

  it('does not send an artifact object the server already has from another machine', async () => {
    const other = join(work, 'other-machine');
    const files = join(work, 'same-files');
    cpSync(join(`${store.dir}-data`), files, { recursive: true });
    writeFileSync(join(files, 'extra.txt'), 'only here\n');
    const run = await init({
      dir: other,
      project: 'vision',
      name: 'elsewhere',
      settings: { quiet: true, console: false, systemMetrics: false },
    });
    await run.logArtifact(files, { name: 'digits-copy', type: 'dataset' });
    await run.finish();
    const result = await runlog(['sync', run.id, '--dir', other, '--host', server.url, '--api-key', token, '--json']);
    expect(result.code).toBe(0);
    const [synced] = JSON.parse(result.stdout).runs;
    // train.csv and labels.txt came from the first machine already: only extra.txt travels.
    expect(synced.artifacts.blobs).toMatchObject({ uploaded: 1, present: 2, sentBytes: 10 });
  }, 60_000);

  it('refuses clearly: no host, a read-only token, an unknown run', async () => {
    const noHost = await runlog(['sync', '--all', '--dir', store.dir], { RUNLOG_HOST: '' });
    expect(noHost.code).toBe(2);
    expect(noHost.stderr).toContain('--host');
    const fresh = join(work, 'fresh');
    const run = await init({
      dir: fresh,
      project: 'vision',
      settings: { quiet: true, console: false, systemMetrics: false },
    });
    run.log({ loss: 1 });
    await run.finish();
    const readOnly = await runlog(['sync', run.id, '--dir', fresh, '--host', server.url, '--api-key', readToken]);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toContain('SYNC_REFUSED');
    const unknown = await runlog(['sync', 'vision/nope', '--dir', store.dir, '--host', server.url, '--api-key', token]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('RUN_NOT_FOUND');
  }, 60_000);
});
