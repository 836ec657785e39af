// The store-access contract (packages/core/test/contract) against the server, through `new Api({ host })`: the
// contract store written by the real engine is copied to a server on the embedded database (PGlite) and a folder
// of blobs with the ingestion protocol, and every rule of the seam is checked over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, RunlogError } from '@runlog/core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreAccessContract } from '../../core/test/contract/storeAccessContract.js';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { TestClient } from './support/httpClient.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import { uploadStore } from './support/uploadStore.js';

let server: RunningServer | undefined;
const tokens = { write: '', readContract: '', writeOther: '' };
const data = mkdtempSync(join(tmpdir(), 'runlog-server-contract-'));
afterAll(async () => {
  await server?.close();
  rmSync(data, { recursive: true, force: true });
});

describeStoreAccessContract('runlog server on PGlite, through new Api({ host })', async (store) => {
  await seedEmbeddedData(data);
  tokens.write = (await createTokenOffline({ data, role: 'write' })).token;
  tokens.readContract = (await createTokenOffline({ data, project: 'contract', role: 'read' })).token;
  tokens.writeOther = (await createTokenOffline({ data, project: 'other', role: 'write' })).token;
  server = await startServer({ data, port: 0, rateLimit: { perSecond: 0, burst: 0 } });
  await uploadStore(new TestClient(server.url, tokens.write), store.dir);
  return new Api({ host: server.url, apiKey: tokens.write }).access;
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof RunlogError ? error.code : String(error);
}

// Runs after the contract (same server, same data): what only a server adds: roles, and bad requests refused
// with a code before anything is stored.
describe("the remote Api within a token's role", () => {
  it('lets a read token read but not edit, create or delete (FORBIDDEN, nothing changed)', async () => {
    const api = new Api({ host: server!.url, apiKey: tokens.readContract });
    const run = await api.run('contract/main');
    expect(run.name).toBe('main run');
    const sampled = await run.history({ keys: ['loss'], samples: 100 });
    expect(sampled.length).toBeLessThanOrEqual(100);
    expect(sampled.every((row) => Object.keys(row).sort().join() === '_step,loss')).toBe(true);
    let scanned = 0;
    for await (const page of run.scanHistory({ keys: ['acc'], pageSize: 400 }).pages()) scanned += page.length;
    expect(scanned).toBe(1500);
    run.name = 'hijacked';
    expect(await codeOf(run.update())).toBe('FORBIDDEN');
    expect(await codeOf(api.createRun({ project: 'contract', id: 'sneaky' }))).toBe('FORBIDDEN');
    expect(await codeOf(api.access.deleteRun({ project: 'contract', id: 'main' }))).toBe('FORBIDDEN');
    expect((await api.run('contract/main')).name).toBe('main run');
    expect(await codeOf(api.run('contract/sneaky'))).toBe('RUN_NOT_FOUND');
  });

  it("hides another project's runs from a project token", async () => {
    const api = new Api({ host: server!.url, apiKey: tokens.writeOther });
    expect((await api.projects()).map((p) => p.name)).toEqual(['other']);
    expect(await codeOf(api.run('contract/main'))).toBe('RUN_NOT_FOUND');
    expect(await codeOf(api.runs('contract').toArray())).toBe('RUN_NOT_FOUND');
    expect(await codeOf(api.access.updateRun({ project: 'contract', id: 'main' }, { notes: 'x' }))).toBe(
      'RUN_NOT_FOUND',
    );
    expect(await codeOf(new Api({ host: server!.url, apiKey: 'rl_nope' }).projects())).toBe('UNAUTHENTICATED');
  });

  it('refuses malformed filters, orders and edits sent straight to the server with 4xx codes', async () => {
    const client = new TestClient(server!.url, tokens.write);
    const bad = async (method: string, path: string, body?: unknown) => {
      const answer = body === undefined ? await client.request(method, path) : await client.json(method, path, body);
      return [answer.status, (answer.body.error as { code: string }).code];
    };
    expect(await bad('GET', '/api/v1/runs?project=contract&filters=%7Bnope')).toEqual([400, 'FILTER_INVALID']);
    expect(await bad('GET', '/api/v1/runs?project=contract&filters=%7B%22x%22%3A1%7D')).toEqual([
      400,
      'FILTER_INVALID',
    ]);
    expect(await bad('GET', '/api/v1/runs?project=contract&order=%22%22')).toEqual([400, 'FILTER_INVALID']);
    expect(await bad('PATCH', '/api/v1/projects/contract/runs/main', { tags: 'x' })).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await bad('PATCH', '/api/v1/projects/contract/runs/main', { name: '' })).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await bad('POST', '/api/v1/projects/contract/runs/main/state', { state: 'running' })).toEqual([
      409,
      'STATE_TRANSITION',
    ]);
    expect(await bad('POST', '/api/v1/projects/contract/runs', { id: '../x' })).toEqual([400, 'INVALID_NAME']);
    expect(await bad('POST', '/api/v1/projects/contract/runs', { id: 'main' })).toEqual([409, 'RUN_EXISTS']);
    expect(await bad('DELETE', "/api/v1/projects/contract/runs/x';DROP TABLE runs")).toEqual([400, 'INVALID_NAME']);
    const main = (await client.request('GET', '/api/v1/projects/contract/runs/main')).body;
    expect((main.record as { name: string }).name).toBe('main run');
  });

  it("reads an artifact version's file bytes by range, and its consumers", async () => {
    const api = new Api({ host: server!.url, apiKey: tokens.readContract });
    const whole = await api.artifactFile('contract/dataset:best', 'train.csv');
    expect(Buffer.from(whole.bytes).toString()).toBe('x,y\n1,2\n');
    const part = await api.artifactFile('contract/dataset:v0', 'train.csv', { offset: 4, length: 3 });
    expect([Buffer.from(part.bytes).toString(), part.size, part.offset]).toEqual(['1,2', 8, 4]);
    expect(await codeOf(api.artifactFile('contract/dataset:v0', 'nope.csv'))).toBe('ARTIFACT_NOT_FOUND');
    expect(await codeOf(api.artifactFile('contract/dataset:v0', '../x'))).toBe('INVALID_ARGUMENT');
    const runJson = await api.access.readFile({ project: 'contract', id: 'main' }, 'run.json');
    expect(JSON.parse(Buffer.from(runJson.bytes).toString())).toMatchObject({ id: 'main', name: 'main run' });
    const consumers = await api.artifactConsumers('contract/dataset:latest');
    expect(consumers.map((c) => c.runId)).toEqual(['consumer']);
  });
});
