import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, RunlogError } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { historyLines, TestClient } from './support/httpClient.js';
import { onlineSettings, serverHistory, serverSteps, train, waitFor } from './support/onlineRuns.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import { startTcpProxy } from './support/tcpProxy.js';

// Leases and resume of online runs (issue 16) against a real server on PGlite: a run has one live writer, and a
// machine whose store lacks the run continues it from what the server has.
let dir: string;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-online-lease-'));
  await seedEmbeddedData(join(dir, 'srv'));
  token = (await createTokenOffline({ data: join(dir, 'srv'), role: 'write' })).token;
  server = await startServer({ data: join(dir, 'srv'), port: 0, logError: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const online = (store: string, extra: Record<string, unknown> = {}) => ({
  dir: join(dir, store),
  project: 'lease',
  mode: 'online' as const,
  host: server.url,
  apiKey: token,
  settings: onlineSettings,
  ...extra,
});

async function refusal(promise: Promise<unknown>): Promise<RunlogError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunlogError);
  return error as RunlogError;
}

describe('run leases', () => {
  it('refuses a second live writer of a run (RUN_LEASED), and its writes that name another writer', async () => {
    const first = await init(online('a', { id: 'twice' }));
    await train(first, 0, 200);
    const second = await refusal(init(online('b', { id: 'twice', resume: 'allow' })));
    expect(second.code).toBe('RUN_LEASED');
    expect(second.message).toMatch(/lease\/twice is being written by another process .*pid/);
    // A write naming another writer is refused while the lease lives; one without a writer (runlog sync) is not.
    const client = new TestClient(server.url, token);
    const sneaky = await client.request(
      'POST',
      '/api/v1/projects/lease/runs/twice/streams/alerts?offset=0',
      '{"title":"x"}\n',
      { 'content-type': 'application/octet-stream', 'x-runlog-writer': 'someone else' },
    );
    expect([sneaky.status, (sneaky.body.error as { code: string }).code]).toEqual([409, 'RUN_LEASED']);
    await first.finish();
    expect((await serverHistory(server.url, token, 'lease', 'twice')).rows).toBe(200);
    // Finished: the lease is released, so the run can be continued (here from another store) at once.
    const again = await init(online('b', { id: 'twice', resume: 'must' }));
    expect(again.step).toBe(200);
    await again.finish();
  }, 120_000);

  it("accepts a resume once a crashed writer's lease expired", async () => {
    const client = new TestClient(server.url, token);
    // A writer that took the lease for 2 s, sent rows and run.json, and died.
    const lease = await client.json('POST', '/api/v1/projects/lease/runs/crashed/lease', {
      writer: 'gone',
      ttlMs: 2000,
    });
    expect(lease.status).toBe(200);
    const doc = { formatVersion: 1, id: 'crashed', project: 'lease', name: 'crashed', state: 'running', config: {} };
    await client.document('lease/crashed', 'run.json', 1, doc);
    await client.batch('lease/crashed', 'history', 0, historyLines(0, 50));
    const early = await refusal(init(online('c', { id: 'crashed', resume: 'must' })));
    expect(early.code).toBe('RUN_LEASED');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const run = await init(online('c', { id: 'crashed', resume: 'must' }));
    expect(run.step).toBe(50);
    await train(run, 50, 50);
    await run.finish();
    expect(await serverSteps(server.url, token, 'lease', 'crashed')).toEqual(Array.from({ length: 100 }, (_, i) => i));
  }, 120_000);
});

describe('a lease left by a killed process of this host is taken over at once', () => {
  const host = hostname()
    .replace(/[^\x21-\x7e]/g, '?')
    .slice(0, 100);
  /** A pid that was alive a moment ago and is not now. */
  const deadPid = () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    return child.pid as number;
  };
  const holdLease = async (runId: string, writer: string) => {
    const answer = await new TestClient(server.url, token).json('POST', `/api/v1/projects/lease/runs/${runId}/lease`, {
      writer,
      ttlMs: 600_000,
    });
    expect(answer.status).toBe(200);
  };

  it('a SIGKILLed online run is resumed from its store at once, not after the lease ttl; no row is lost', async () => {
    // The child trains an online run with a 10-minute lease, and is killed without finishing.
    const core = createRequire(import.meta.url).resolve('@runlog/core');
    const script = join(dir, 'killed.cjs');
    const settings = { ...onlineSettings, leaseTtlMs: 600_000 };
    const options = { dir: join(dir, 'k'), project: 'lease', id: 'killed', mode: 'online', host: server.url, settings };
    writeFileSync(
      script,
      `const { init } = require(${JSON.stringify(core)});
       (async () => {
         const run = await init({ ...${JSON.stringify(options)}, apiKey: process.env.KEY });
         for (let i = 0; i < 300; i++) run.log({ loss: 1 / (i + 1) });
         console.log('logged');
         setInterval(() => {}, 1000);
       })();`,
    );
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, KEY: token },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => data.toString().includes('logged') && resolve());
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before logging`)));
    });
    await waitFor(async () => (await serverHistory(server.url, token, 'lease', 'killed')).rows > 0);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const started = Date.now();
    const run = await init({ ...options, apiKey: token, mode: 'online', resume: 'must' } as Parameters<typeof init>[0]);
    expect(Date.now() - started).toBeLessThan(20_000); // the lease had ten minutes left
    expect(run.step).toBe(300);
    await train(run, 300, 100);
    await run.finish();
    expect(await serverSteps(server.url, token, 'lease', 'killed')).toEqual(Array.from({ length: 400 }, (_, i) => i));
  }, 120_000);

  it('takes over a dead writer of this host, but not a live one nor one of another host', async () => {
    await holdLease('dead-here', `${host} pid ${deadPid()} 0a1b2c3d`);
    const run = await init(online('t1', { id: 'dead-here' }));
    await train(run, 0, 10);
    await run.finish();
    expect(await serverSteps(server.url, token, 'lease', 'dead-here')).toHaveLength(10);

    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await holdLease('alive-here', `${host} pid ${sleeper.pid} 0a1b2c3d`);
      expect((await refusal(init(online('t2', { id: 'alive-here' })))).code).toBe('RUN_LEASED');
    } finally {
      sleeper.kill();
    }
    await holdLease('dead-elsewhere', `not-${host} pid ${deadPid()} 0a1b2c3d`);
    expect((await refusal(init(online('t3', { id: 'dead-elsewhere' })))).code).toBe('RUN_LEASED');
  }, 120_000);

  it('POST .../lease takes over only from the writer named by replaces (409 otherwise, 400 for a bad one)', async () => {
    const client = new TestClient(server.url, token);
    const path = '/api/v1/projects/lease/runs/replaced/lease';
    expect((await client.json('POST', path, { writer: 'first', ttlMs: 600_000 })).status).toBe(200);
    const wrong = await client.json('POST', path, { writer: 'second', replaces: 'someone else' });
    expect([wrong.status, (wrong.body.error as { code: string }).code]).toEqual([409, 'RUN_LEASED']);
    const bad = await client.json('POST', path, { writer: 'second', replaces: 42 });
    expect([bad.status, (bad.body.error as { code: string }).code]).toEqual([400, 'INVALID_ARGUMENT']);
    const taken = await client.json('POST', path, { writer: 'second', replaces: 'first' });
    expect([taken.status, taken.body.writer, taken.body.acquired]).toEqual([200, 'second', true]);
    const late = await client.json('POST', path, { writer: 'first' });
    expect(late.status).toBe(409);
  });
});

describe('a lease lost during a network cut', () => {
  it('stops the cut-off writer from sending once another process took the run over; its training goes on', async () => {
    const proxy = await startTcpProxy(server.url);
    try {
      const settings = { ...onlineSettings, leaseTtlMs: 2000 };
      const first = await init(online('cut1', { id: 'takenover', host: proxy.url, settings }));
      await train(first, 0, 200);
      await waitFor(() => first.status().sync?.rowsAcknowledged === 200);
      proxy.cut(); // the first writer's network is gone: it cannot renew its lease
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const second = await init(online('cut2', { id: 'takenover', resume: 'must', settings }));
      expect(second.step).toBe(200);
      await train(first, 200, 100); // the cut-off process trains on, unaware
      proxy.restore();
      await waitFor(() => first.status().sync?.state === 'stopped', 60_000);
      expect(first.status().sync?.lastError?.message).toMatch(/RUN_LEASED|another process/);
      await train(first, 300, 100);
      await first.finish();
      for (let i = 0; i < 50; i++) second.log({ loss: 0.1, writer: 2 });
      await second.finish();
      // The server has the second writer's continuation, none of the cut-off writer's rows after step 199.
      expect(await serverSteps(server.url, token, 'lease', 'takenover')).toEqual(
        Array.from({ length: 250 }, (_, i) => i),
      );
      const rows = await new TestClient(server.url, token).request(
        'GET',
        '/api/v1/projects/lease/runs/takenover/streams/history?minStep=200&maxBytes=100000',
      );
      expect((rows.body.rows as { writer?: number }[]).map((r) => r.writer)).toEqual(Array(50).fill(2));
      expect(statSync(join(second.dir, 'history.jsonl')).size).toBe(
        (await serverHistory(server.url, token, 'lease', 'takenover')).hwm,
      );
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('resume from another machine', () => {
  it('downloads config, summary state and history so that the stream offsets line up, then continues', async () => {
    const first = await init(online('m1', { id: 'moved', config: { lr: 0.1, layers: [64, 32] } }));
    first.defineMetric('loss', { summary: 'min' });
    await train(first, 0, 300);
    first.log({ text: 'a "quoted" \\ line with ünïcode' });
    await first.finish();
    const before = await serverHistory(server.url, token, 'lease', 'moved');
    expect(before.rows).toBe(301);

    const run = await init(online('m2', { id: 'moved', resume: 'must' }));
    expect(run.resumed).toBe(true);
    expect(run.step).toBe(301);
    expect(run.config.get('lr')).toBe(0.1);
    expect(run.config.get('layers')).toEqual([64, 32]);
    expect(run.summary.get('loss')).toBeCloseTo(1 / 300);
    // The local history is as long as the server's: this machine's next batch starts at the server's hwm.
    expect(statSync(join(run.dir, 'history.jsonl')).size).toBe(before.hwm);
    await train(run, 301, 99);
    await run.finish();
    const after = await serverHistory(server.url, token, 'lease', 'moved');
    expect(after).toMatchObject({ rows: 400, hwm: statSync(join(run.dir, 'history.jsonl')).size });
    expect(await serverSteps(server.url, token, 'lease', 'moved')).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const lines = readFileSync(join(run.dir, 'history.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l)._step)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const record = await new TestClient(server.url, token).request('GET', '/api/v1/projects/lease/runs/moved');
    expect(JSON.stringify(record.body)).toMatch(/"resumeCount":1/);
  }, 120_000);

  it("refuses resume 'must' of a run neither the store nor the server has, and a new run over a server's run, and a stale copy", async () => {
    const missing = await refusal(init(online('m3', { id: 'nowhere', resume: 'must' })));
    expect(missing.code).toBe('RUN_NOT_FOUND');
    const taken = await refusal(init(online('m3', { id: 'moved' })));
    expect(taken.code).toBe('RUN_EXISTS');
    // The first store's copy is behind the server's (the run went on from m2): it cannot continue from there.
    const stale = await refusal(init(online('m1', { id: 'moved', resume: 'allow' })));
    expect([stale.code, stale.message]).toEqual(['RUN_EXISTS', expect.stringMatching(/went on elsewhere/)]);
  }, 60_000);
});
