import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, createRun, type Run, type RunlogError } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { TestClient } from './support/httpClient.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import { freePort } from './support/postgresCluster.js';

// t9k's upload (issue 16) against a real `runlog server` on PGlite: runs written by the real engine, sent by
// run.upload() / createRun({ autoUpload }) through the sync client, read back through the server's read API.
const quiet = { quiet: true, console: false, systemMetrics: false };
let dir: string;
let server: RunningServer;
let write: string; // a write token for every project, labelled 'alice' (its folder is /alice)
let read: string;
let counter = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-t9k-upload-'));
  const data = join(dir, 'server');
  await seedEmbeddedData(data);
  write = (await createTokenOffline({ data, role: 'write', label: 'alice' })).token;
  read = (await createTokenOffline({ data, role: 'read', label: 'bob' })).token;
  server = await startServer({ data, port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A finished run of `rows` steps logged with t9k's vocabulary; `marker` tells its rows apart from another's. */
async function finishedRun(name: string, rows: number, marker: number, extra: Record<string, unknown> = {}) {
  const run = await createRun({ dir: join(dir, `store-${counter++}`), name, settings: quiet, ...extra });
  for (let step = 0; step < rows; step++) run.log({ loss: 1 / (step + 1), marker });
  await run.finish();
  return run;
}

const api = (token = write) => new Api({ host: server.url, apiKey: token });
const http = (token = write) => new TestClient(server.url, token);
const upload = (run: Run, options: Parameters<Run['upload']>[0]) =>
  run.upload({ host: server.url, apiKey: write, ...options });
const fails = async (promise: Promise<unknown>): Promise<RunlogError> => {
  const error = await promise.then(
    () => undefined,
    (e: RunlogError) => e,
  );
  expect(error, 'expected a refusal').toBeDefined();
  return error as RunlogError;
};
async function serverRuns(project: string) {
  const answer = await http().request('GET', `/api/v1/runs?project=${project}`);
  if (answer.status === 404) return [];
  return (answer.body.runs as { record: Record<string, unknown> }[]).map((r) => r.record);
}
async function serverRows(project: string, runId: string) {
  const rows = await (await api().run(`${project}/${runId}`)).history();
  return rows as { _step: number; marker: number }[];
}

describe('folders', () => {
  it('refuses a missing folder without makeFolder (FOLDER_NOT_FOUND), makes it and its parents with it', async () => {
    const run = await finishedRun('cnn_keras', 20, 1);
    const missing = await fails(upload(run, { folder: 'cv/mnist' }));
    expect(missing.code).toBe('FOLDER_NOT_FOUND');
    expect(await serverRuns('alice.cv.mnist')).toEqual([]);

    const result = await upload(run, { folder: 'cv/mnist', makeFolder: true });
    // A relative folder lives under the token's user (its label): /alice/cv/mnist, project alice.cv.mnist.
    expect(result).toMatchObject({ action: 'upload', folder: '/alice/cv/mnist', project: 'alice.cv.mnist' });
    expect(result.runId).toBe(run.id);
    const rows = await serverRows('alice.cv.mnist', run.id);
    expect(rows.map((r) => r._step)).toEqual([...Array(20).keys()]);
    const remote = await api().run(`alice.cv.mnist/${run.id}`);
    expect(remote.name).toBe('cnn_keras');
    expect(remote.state).toBe('finished');
    for (const path of ['/alice', '/alice/cv', 'cv/mnist']) {
      const found = await http().request('GET', `/api/v1/folders?path=${encodeURIComponent(path)}`);
      expect(found.status, path).toBe(200);
    }
    expect((await http().request('GET', '/api/v1/folders?path=cv/other')).body).toMatchObject({
      error: { code: 'FOLDER_NOT_FOUND' },
    });
  });

  it('refuses bad folder names with INVALID_FOLDER and stores nothing', async () => {
    const run = await finishedRun('bad', 3, 1);
    for (const folder of ['..', 'a/../b', '/team/./x', 'x\u0000y', 'a//b', 'a\\b', '/', `${'x'.repeat(129)}`]) {
      const error = await fails(upload(run, { folder, makeFolder: true }));
      expect(error.code, JSON.stringify(folder)).toBe('INVALID_FOLDER');
      const answer = await http().json('POST', '/api/v1/folders', { path: folder });
      expect(answer.status, JSON.stringify(folder)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'INVALID_FOLDER' } });
    }
    const projects = (await http().request('GET', '/api/v1/projects')).body as unknown as { name: string }[];
    expect(projects.map((p) => p.name).filter((n) => n.includes('..') || n.startsWith('alice.a'))).toEqual([]);
  });

  it('a read token cannot upload or make folders (403 FORBIDDEN), and uploads nothing', async () => {
    const run = await finishedRun('readonly', 3, 1);
    const error = await fails(run.upload({ host: server.url, apiKey: read, folder: '/team/ro', makeFolder: true }));
    expect(error.code).toBe('FORBIDDEN');
    const answer = await http(read).json('POST', '/api/v1/folders', { path: '/team/ro' });
    expect(answer.status).toBe(403);
    expect((await http().request('GET', '/api/v1/folders?path=/team/ro')).status).toBe(404);
    expect(await serverRuns('team.ro')).toEqual([]);
  });

  it('two paths that would share a project are refused (FOLDER_CONFLICT)', async () => {
    expect((await http().json('POST', '/api/v1/folders', { path: '/a.b/c' })).status).toBe(200);
    const clash = await http().json('POST', '/api/v1/folders', { path: '/a/b.c' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ error: { code: 'FOLDER_CONFLICT' } });
    expect((await http().request('GET', '/api/v1/folders?path=/a')).status).toBe(404); // nothing made half
  });
});

describe('conflict strategies (a run of the same name already in the folder)', () => {
  const folder = '/team/strategies';
  let first: Run;

  beforeAll(async () => {
    first = await finishedRun('cnn', 10, 1);
    expect((await upload(first, { folder, makeFolder: true })).action).toBe('upload');
  });

  it("'error' throws RUN_EXISTS and sends nothing", async () => {
    const second = await finishedRun('cnn', 15, 2);
    const error = await fails(upload(second, { folder, conflictStrategy: 'error' }));
    expect(error.code).toBe('RUN_EXISTS');
    expect((await serverRuns('team.strategies')).map((r) => r.id)).toEqual([first.id]);
  });

  it("'skip' keeps the server's run", async () => {
    const second = await finishedRun('cnn', 15, 2);
    const result = await upload(second, { folder, conflictStrategy: 'skip' });
    expect(result).toMatchObject({ action: 'skip', runId: first.id, existing: [first.id] });
    expect(result.sent).toBeUndefined();
    expect((await serverRuns('team.strategies')).map((r) => r.id)).toEqual([first.id]);
    expect(new Set((await serverRows('team.strategies', first.id)).map((r) => r.marker))).toEqual(new Set([1]));
  });

  it("'new' uploads under a new id and the alternative name, noting where it came from", async () => {
    const named = await finishedRun('cnn', 12, 3, { alternativeName: 'cnn_v2' });
    const result = await upload(named, { folder, conflictStrategy: 'new' });
    expect(result.action).toBe('new');
    expect(result.runId).not.toBe(named.id);
    expect(result.name).toBe('cnn_v2');
    const unnamed = await finishedRun('cnn', 12, 4);
    const other = await upload(unnamed, { folder }); // 'new' is t9k's default
    expect(other).toMatchObject({ action: 'new', name: 'cnn-2' });
    const remote = await api().run(`team.strategies/${result.runId}`);
    expect(remote.name).toBe('cnn_v2');
    const record = (await http().request('GET', `/api/v1/projects/team.strategies/runs/${result.runId}`)).body
      .record as Record<string, unknown>;
    expect(record.uploadedFrom).toMatchObject({ id: named.id, project: named.project, folder });
    expect((await serverRows('team.strategies', result.runId)).every((r) => r.marker === 3)).toBe(true);
    const ids = (await serverRuns('team.strategies')).map((r) => r.id).sort();
    expect(ids).toEqual([first.id, result.runId, other.runId].sort());
  });

  it("'replace' removes the folder's run of that name and puts the new one in its place", async () => {
    const replacement = await finishedRun('cnn', 30, 5);
    const result = await upload(replacement, { folder, conflictStrategy: 'replace' });
    expect(result).toMatchObject({ action: 'replace', committed: true, runId: replacement.id, replaced: [first.id] });
    const runs = await serverRuns('team.strategies');
    expect(runs.map((r) => r.id)).not.toContain(first.id);
    expect(runs.filter((r) => r.name === 'cnn').map((r) => r.id)).toEqual([replacement.id]);
    expect(runs.some((r) => String(r.id).startsWith('replacing-'))).toBe(false);
    const rows = await serverRows('team.strategies', replacement.id);
    expect(rows.length).toBe(30);
    expect(rows.every((r) => r.marker === 5)).toBe(true);
    await expect(api().run(`team.strategies/${first.id}`)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });

  it('uploading the same run again continues its server copy instead of conflicting with itself', async () => {
    const run = await createRun({ dir: join(dir, `store-${counter++}`), name: 'twice', settings: quiet });
    for (let step = 0; step < 5; step++) run.log({ loss: step, marker: 6 });
    const before = await upload(run, { folder: '/team/twice', makeFolder: true });
    for (let step = 5; step < 9; step++) run.log({ loss: step, marker: 6 });
    await run.finish();
    const after = await upload(run, { folder: '/team/twice' });
    expect(after).toMatchObject({ action: 'upload', runId: before.runId });
    expect((await serverRuns('team.twice')).length).toBe(1);
    expect((await serverRows('team.twice', run.id)).map((r) => r._step)).toEqual([...Array(9).keys()]);
  });
});

describe("the run's artifacts", () => {
  it("go to the folder's project with the uploaded run as their producer", async () => {
    const store = join(dir, `store-${counter++}`);
    const run = await createRun({ dir: store, name: 'with-model', settings: quiet });
    const weights = join(dir, `weights-${counter}.bin`);
    writeFileSync(weights, Buffer.from([1, 2, 3, 4]));
    await run.logArtifact(weights, { name: 'model', type: 'model' });
    run.log({ loss: 1 });
    await run.finish();
    const result = await upload(run, { folder: '/team/models', makeFolder: true });
    const versions = await http().request('GET', '/api/v1/projects/team.models/artifacts/model/versions');
    expect(versions.status, JSON.stringify(versions.body)).toBe(200);
    expect(Object.values(versions.body)).toMatchObject([
      { name: 'model', project: 'team.models', producer: { project: 'team.models', runId: result.runId } },
    ]);
    // The local project has no artifact on the server: everything went into the folder.
    expect((await http().request('GET', `/api/v1/projects/${run.project}/artifacts/model/versions`)).status).toBe(404);
  });
});

describe('createRun({ autoUpload: true })', () => {
  it('uploads the run to its folder when it finishes', async () => {
    const store = join(dir, `store-${counter++}`);
    const run = await createRun({
      dir: store,
      name: 'auto',
      hparams: { lr: 0.01 },
      autoUpload: true,
      folder: 'auto/runs',
      makeFolder: true,
      host: server.url,
      apiKey: write,
      settings: quiet,
    });
    for (let step = 0; step < 25; step++) run.logMetrics('train', { loss: 1 / (step + 1) }, { step, epoch: 0 });
    await run.finish();
    const remote = await api().run(`alice.auto.runs/${run.id}`);
    expect(remote).toMatchObject({ name: 'auto', state: 'finished' });
    expect(remote.config).toMatchObject({ lr: 0.01 });
    expect((await remote.history()).length).toBe(25);
  });

  it('streams the run into its folder while it trains, as an online run (the alternative name kept)', async () => {
    await finishedRun('streamed', 2, 1).then((r) => upload(r, { folder: '/team/stream', makeFolder: true }));
    const run = await createRun({
      dir: join(dir, `store-${counter++}`),
      name: 'streamed', // taken in the folder: 'new' (the default) streams it under a new id and the alternative name
      alternativeName: 'streamed_v2',
      autoUpload: true,
      folder: '/team/stream',
      host: server.url,
      apiKey: write,
      settings: { ...quiet, syncIntervalMs: 100 },
    });
    const runs = await serverRuns('team.stream');
    const streamed = runs.find((r) => r.name === 'streamed_v2');
    expect(streamed, JSON.stringify(runs)).toBeDefined();
    const id = String(streamed?.id);
    for (let step = 0; step < 40; step++) run.log({ loss: 1 / (step + 1), marker: 7 });
    let seen = 0;
    for (let i = 0; i < 200 && seen < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = (await http().request('GET', `/api/v1/projects/team.stream/runs/${id}`)).body.lastHistoryStep as number;
      seen += 1;
    }
    expect(seen, 'rows on the server before finish()').toBe(40);
    await run.finish();
    const remote = await api().run(`team.stream/${id}`);
    expect(remote).toMatchObject({ name: 'streamed_v2', state: 'finished' });
    const record = (await http().request('GET', `/api/v1/projects/team.stream/runs/${id}`)).body.record as {
      uploadedFrom: unknown;
    };
    expect(record.uploadedFrom).toMatchObject({ id: run.id, folder: '/team/stream' });
  });

  it("with 'replace', readers keep the server's copy while the run trains and get the new one after finish", async () => {
    const old = await finishedRun('replaced-live', 5, 1);
    await upload(old, { folder: '/team/auto-replace', makeFolder: true });
    const run = await createRun({
      dir: join(dir, `store-${counter++}`),
      name: 'replaced-live',
      autoUpload: true,
      folder: '/team/auto-replace',
      conflictStrategy: 'replace',
      host: server.url,
      apiKey: write,
      settings: { ...quiet, syncIntervalMs: 100 },
    });
    for (let step = 0; step < 12; step++) run.log({ loss: step, marker: 8 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const named = async () =>
      (await serverRuns('team.auto-replace')).filter(
        (r) => r.name === 'replaced-live' && !String(r.id).startsWith('replacing-'),
      );
    expect((await named()).map((r) => r.id)).toEqual([old.id]);
    expect((await serverRows('team.auto-replace', old.id)).every((r) => r.marker === 1)).toBe(true);
    await run.finish();
    expect((await named()).map((r) => r.id)).toEqual([run.id]);
    const rows = await serverRows('team.auto-replace', run.id);
    expect(rows.map((r) => r.marker)).toEqual(Array(12).fill(8));
    expect((await serverRuns('team.auto-replace')).map((r) => r.id)).toEqual([run.id]);
  });

  it('a refusal decided before the run starts fails createRun, and nothing is recorded locally', async () => {
    await finishedRun('taken', 2, 1).then((r) => upload(r, { folder: '/team/auto-error', makeFolder: true }));
    const store = join(dir, `store-${counter++}`);
    const options = { dir: store, name: 'taken', autoUpload: true, host: server.url, apiKey: write, settings: quiet };
    const exists = await fails(createRun({ ...options, folder: '/team/auto-error', conflictStrategy: 'error' }));
    expect(exists.code).toBe('RUN_EXISTS');
    const missing = await fails(createRun({ ...options, folder: '/team/nowhere' }));
    expect(missing.code).toBe('FOLDER_NOT_FOUND');
    expect(existsSync(store) ? readdirSync(store) : []).toEqual([]);
  });

  it('a server that is down at createRun is warned about, and the run is uploaded at finish once it is back', async () => {
    const port = await freePort();
    const data = join(dir, 'late-server');
    await seedEmbeddedData(data);
    const token = (await createTokenOffline({ data, role: 'write', label: 'dave' })).token;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    let late: RunningServer | undefined;
    try {
      const run = await createRun({
        dir: join(dir, `store-${counter++}`),
        name: 'late',
        autoUpload: true,
        folder: 'runs',
        makeFolder: true,
        host: `http://127.0.0.1:${port}`,
        apiKey: token,
        settings: { console: false, systemMetrics: false, syncTimeoutMs: 1500 },
      });
      for (let step = 0; step < 10; step++) run.log({ loss: step, marker: 9 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.join('\n')).toContain('uploaded at finish');
      late = await startServer({ data, port });
      await run.finish();
      const remote = await new Api({ host: late.url, apiKey: token }).run(`dave.runs/${run.id}`);
      expect(remote).toMatchObject({ name: 'late', state: 'finished' });
      expect((await remote.history()).length).toBe(10);
    } finally {
      process.off('warning', onWarning);
      await late?.close();
    }
  });

  it('without a server (no host, no RUNLOG_HOST) it is NEEDS_SERVER, as run.upload() is', async () => {
    const saved = process.env.RUNLOG_HOST;
    delete process.env.RUNLOG_HOST;
    try {
      const store = join(dir, `store-${counter++}`);
      const error = await fails(createRun({ dir: store, autoUpload: true, settings: quiet }));
      expect(error.code).toBe('NEEDS_SERVER');
      const run = await finishedRun('local', 2, 1);
      expect((await fails(run.upload({ folder: 'x' }))).code).toBe('NEEDS_SERVER');
    } finally {
      if (saved !== undefined) process.env.RUNLOG_HOST = saved;
    }
  });
});
