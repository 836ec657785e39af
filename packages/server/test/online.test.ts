import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { syncStore } from '@runlog/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { TestClient } from './support/httpClient.js';
import { onlineSettings, serverHistory, serverSteps, train, waitFor } from './support/onlineRuns.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';

// Online mode (issue 16) against a real `runlog server` on PGlite: the run writes its local store and a background
// syncer streams it while training goes on; trouble on the way never reaches the training loop.
let dir: string;
let server: RunningServer;
let token: string;
let admin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-online-'));
  await seedEmbeddedData(join(dir, 'srv'));
  token = (await createTokenOffline({ data: join(dir, 'srv'), role: 'write' })).token;
  admin = (await createTokenOffline({ data: join(dir, 'srv'), role: 'admin' })).token;
  server = await startServer({ data: join(dir, 'srv'), port: 0, logError: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Collects what is written to stderr while `work` runs (the one-line notices of online runs). */
async function stderrOf(work: () => Promise<void>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += String(chunk);
    return write(chunk as never, ...(rest as []));
  }) as typeof process.stderr.write;
  try {
    await work();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe('online mode', () => {
  it('streams rows while the run trains, each exactly once, and reports the sync status', async () => {
    const store = join(dir, 'once');
    const run = await init({
      dir: store,
      project: 'online',
      mode: 'online',
      host: server.url,
      apiKey: token,
      config: { lr: 0.01 },
      settings: onlineSettings,
    });
    expect(run.mode).toBe('online');
    expect(run.url).toBe(`${server.url}/#/r/online/${run.id}`);
    await train(run, 0, 2000);
    // While the run still trains, the server already has rows.
    await waitFor(() => (run.status().sync?.rowsAcknowledged ?? 0) > 0);
    expect((await serverHistory(server.url, token, 'online', run.id)).rows).toBeGreaterThan(0);
    writeFileSync(join(store, 'notes.txt'), 'notes\n');
    await run.save(join(store, 'notes.txt'), { basePath: store });
    const weights = join(store, 'weights.bin');
    writeFileSync(weights, Buffer.alloc(100_000, 7));
    await run.logArtifact(weights, { name: 'weights', type: 'model' });
    await train(run, 2000, 1000);
    await run.finish();

    const local = statSync(join(run.dir, 'history.jsonl')).size;
    const history = await serverHistory(server.url, token, 'online', run.id);
    expect(history).toMatchObject({ rows: 3000, hwm: local });
    const steps = await serverSteps(server.url, token, 'online', run.id);
    expect(steps).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    const sync = run.status().sync;
    expect(sync).toMatchObject({ state: 'done', rowsAcknowledged: 3000, pendingRows: 0, pendingBytes: 0 });
    expect(sync?.bytesAcknowledged).toBeGreaterThanOrEqual(local);
    expect(sync?.lastAcknowledgedAt).toBeInstanceOf(Date);
    expect(sync?.lastError).toBeUndefined();
    // The server's copy is the finished run, with its config, summary and saved file.
    const record = await new TestClient(server.url, token).request('GET', `/api/v1/projects/online/runs/${run.id}`);
    expect(JSON.stringify(record.body)).toContain('"finished"');
    expect(JSON.stringify(record.body)).toContain('"lr"');
    const files = await new TestClient(server.url, token).request(
      'GET',
      `/api/v1/projects/online/runs/${run.id}/files`,
    );
    expect(JSON.stringify(files.body)).toContain('files/notes.txt');
    const versions = await new TestClient(server.url, token).request(
      'GET',
      '/api/v1/projects/online/artifacts/weights/versions',
    );
    expect(JSON.stringify(versions.body)).toContain('"version":');
    // The lease was released at finish: another writer takes it at once.
    const lease = await new TestClient(server.url, token).json('POST', `/api/v1/projects/online/runs/${run.id}/lease`, {
      writer: 'next',
    });
    expect(lease.status).toBe(200);
  }, 120_000);

  it('goes on training when its token is revoked, shows the error, and says in one line what finish left', async () => {
    const write = await createTokenViaApi();
    const run = await init({
      dir: join(dir, 'revoked'),
      project: 'online',
      mode: 'online',
      host: server.url,
      apiKey: write.token,
      settings: { ...onlineSettings, quiet: false, syncTimeoutMs: 1500 },
    });
    await train(run, 0, 500);
    await waitFor(() => (run.status().sync?.rowsAcknowledged ?? 0) > 0);
    const revoked = await new TestClient(server.url, admin).request('DELETE', `/api/v1/tokens/${write.id}`);
    expect(revoked.status).toBe(200);
    // The token cache keeps a token up to 5 s: training goes on meanwhile and after.
    const start = Date.now();
    let i = 500;
    while (Date.now() - start < 8000 || run.status().sync?.state !== 'retrying') {
      await train(run, i, 100);
      i += 100;
      if (Date.now() - start > 30_000) break;
    }
    const sync = run.status().sync;
    expect(sync?.state).toBe('retrying');
    expect(sync?.lastError?.message).toMatch(/401/);
    expect(sync?.pendingRows).toBeGreaterThan(0);
    expect(run.status().errors.some((e) => e.context.startsWith('online sync'))).toBe(true);
    const said = await stderrOf(() => run.finish());
    const lines = said.split('\n').filter((l) => l.includes('runlog sync'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`runlog sync ${run.dir}`);
    expect(run.state).toBe('finished');
  }, 120_000);

  it('leaves the rest to `runlog sync` when the server is down at finish; the sync completes the run', async () => {
    const data = join(dir, 'down-srv');
    await seedEmbeddedData(data);
    const key = (await createTokenOffline({ data, role: 'write' })).token;
    let down: RunningServer = await startServer({ data, port: 0, logError: () => {} });
    const host = down.url;
    const run = await init({
      dir: join(dir, 'down'),
      project: 'online',
      mode: 'online',
      host,
      apiKey: key,
      settings: { ...onlineSettings, syncTimeoutMs: 1000 },
    });
    await train(run, 0, 300);
    await waitFor(() => (run.status().sync?.rowsAcknowledged ?? 0) > 0);
    await down.close();
    await train(run, 300, 700); // the server is gone: training does not notice
    const started = Date.now();
    await run.finish();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.status().sync?.state).toBe('stopped');
    down = await startServer({ data, port: Number(new URL(host).port), logError: () => {} });
    try {
      await syncStore({ dir: join(dir, 'down'), runs: [run.path], hosts: [host], apiKey: key });
      const history = await serverHistory(host, key, 'online', run.id);
      expect(history).toMatchObject({ rows: 1000, hwm: statSync(join(run.dir, 'history.jsonl')).size });
    } finally {
      await down.close();
    }
  }, 120_000);
});

describe('online mode at init', () => {
  it('refuses a token the server does not know, where the mistake is made', async () => {
    const error = await init({
      dir: join(dir, 'badtoken'),
      project: 'online',
      mode: 'online',
      host: server.url,
      apiKey: 'rlt_0000000000000000_notatoken',
      settings: onlineSettings,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
  }, 60_000);

  it('starts a run when the server cannot be reached, and streams once it is back', async () => {
    const data = join(dir, 'late-srv');
    await seedEmbeddedData(data);
    const key = (await createTokenOffline({ data, role: 'write' })).token;
    const probe = await startServer({ data, port: 0, logError: () => {} });
    const host = probe.url;
    await probe.close();
    const run = await init({
      dir: join(dir, 'late'),
      project: 'online',
      mode: 'online',
      host,
      apiKey: key,
      settings: onlineSettings,
    });
    await train(run, 0, 300);
    expect(run.status().sync?.rowsAcknowledged).toBe(0);
    const late = await startServer({ data, port: Number(new URL(host).port), logError: () => {} });
    try {
      await train(run, 300, 300);
      await run.finish();
      expect((await serverHistory(host, key, 'online', run.id)).rows).toBe(600);
      expect(run.status().sync?.state).toBe('done');
    } finally {
      await late.close();
    }
  }, 120_000);
});

async function createTokenViaApi(): Promise<{ id: string; token: string }> {
  const answer = await new TestClient(server.url, admin).json('POST', '/api/v1/tokens', {
    project: 'online',
    role: 'write',
  });
  return answer.body as { id: string; token: string };
}
