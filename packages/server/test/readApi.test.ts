import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, decodeJsonValue, init, RemoteStoreAccess } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { TestClient } from './support/httpClient.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import { uploadRun } from './support/uploadRun.js';

// A run written by the real engine, copied to the server with the protocol, then read back through the
// seam's endpoints and compared with what core's local Api reads from the same run folder.
let dir: string;
let server: RunningServer;
let client: TestClient;
let runId: string;
const ROWS = 1300;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-server-read-'));
  const store = join(dir, 'store');
  const run = await init({ dir: store, project: 'p', config: { lr: 0.1 }, tags: ['baseline'] });
  for (let step = 0; step < ROWS; step++) {
    run.log({
      loss: 1 / (step + 1),
      acc: step === 700 ? Number.POSITIVE_INFINITY : step / ROWS,
      note: step % 100 === 0 ? `s${step}` : undefined,
    });
  }
  writeFileSync(join(dir, 'weights.bin'), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
  await run.save(join(dir, 'weights.bin'), { basePath: dir });
  await run.finish();
  runId = run.id;
  const data = join(dir, 'server');
  await seedEmbeddedData(data);
  const { token } = await createTokenOffline({ data, project: 'p', role: 'write' });
  server = await startServer({ data, port: 0 });
  client = new TestClient(server.url, token);
  await uploadRun(client, join(store, 'p', 'runs', runId), `p/${runId}`, 20_000);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const local = () => new Api({ dir: join(dir, 'store') }).run(`p/${runId}`);

describe('the seam over HTTP', () => {
  it('lists projects and runs, and reads a run as the local store does', async () => {
    expect((await client.request('GET', '/api/v1/projects')).body).toEqual([
      { name: 'p', runCount: 1, artifactCount: 0 },
    ]);
    const runs = (await client.request('GET', '/api/v1/runs?project=p')).body as unknown as {
      runs: { record: { id: string } }[];
    };
    expect(runs.runs.map((r) => r.record.id)).toEqual([runId]);
    const view = await local();
    const remote = (await client.request('GET', `/api/v1/projects/p/runs/${runId}`)).body;
    expect(remote).toMatchObject({ state: 'finished', lastHistoryStep: ROWS - 1 });
    expect((remote.record as { config: unknown }).config).toEqual(view.config);
    expect(remote.summary).toEqual(
      JSON.parse(readFileSync(join(dir, 'store', 'p', 'runs', runId, 'summary.json'), 'utf8')),
    );
  });

  it('reads history by byte offset in chunks that continue exactly where the last one ended', async () => {
    const file = readFileSync(join(dir, 'store', 'p', 'runs', runId, 'history.jsonl'), 'utf8');
    const expected = file
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const rows: unknown[] = [];
    let offset = 0;
    for (let guard = 0; guard < 100; guard++) {
      const chunk = (
        await client.request('GET', `/api/v1/projects/p/runs/${runId}/streams/history?offset=${offset}&maxBytes=8000`)
      ).body;
      rows.push(...(chunk.rows as unknown[]));
      expect(chunk.size).toBe(Buffer.byteLength(file));
      offset = Number(chunk.nextOffset);
      if (offset === chunk.size) break;
    }
    expect(rows).toEqual(expected);
    const back = (await client.request('GET', `/api/v1/projects/p/runs/${runId}/streams/history?offset=-300`)).body;
    expect((back.rows as { _step: number }[]).at(-1)?._step).toBe(ROWS - 1);
    expect(back.offset).toBeGreaterThanOrEqual(Buffer.byteLength(file) - 300);
    const badKeys = await client.request('GET', `/api/v1/projects/p/runs/${runId}/streams/history?keys=loss`);
    expect([badKeys.status, (badKeys.body.error as { code: string }).code]).toEqual([400, 'INVALID_ARGUMENT']);
    const tail = (await client.request('GET', `/api/v1/projects/p/runs/${runId}/streams/history?last=2`)).body;
    expect((tail.rows as { _step: number }[]).map((r) => r._step)).toEqual([ROWS - 2, ROWS - 1]);
    const keyed = (
      await client.request(
        'GET',
        `/api/v1/projects/p/runs/${runId}/streams/history?keys=${encodeURIComponent('["note"]')}&minStep=250`,
      )
    ).body;
    expect(keyed.rows).toEqual(
      [300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200].map((s) => ({ _step: s, note: `s${s}` })),
    );
  });

  it("serves the outline from block statistics equal to the local history index's", async () => {
    const outline = (await client.request('GET', `/api/v1/projects/p/runs/${runId}/history/outline`)).body.outline as {
      blocks: { start: number; end: number; rows: number; keys: Record<string, Record<string, unknown>> }[];
    };
    const indexLines = readFileSync(join(dir, 'store', 'p', 'runs', runId, 'history-index.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const index = indexLines.map((line) => JSON.parse(line));
    // The local writer indexes full blocks only; the server also keeps the last, partial one: every row is covered.
    expect(outline.blocks.slice(0, index.length).map((b) => [b.start, b.end, b.rows])).toEqual(
      index.map((b) => [b.start, b.end, b.rows]),
    );
    expect(outline.blocks.reduce((rows, b) => rows + b.rows, 0)).toBe(ROWS);
    const fields = ['count', 'firstStep', 'first', 'lastStep', 'last', 'minStep', 'min', 'maxStep', 'max'];
    for (const [i, block] of index.entries()) {
      for (const key of ['loss', 'acc']) {
        expect(fields.map((f) => outline.blocks[i].keys[key][f])).toEqual(block.keys[key]);
      }
    }
  });

  it('serves the same outline in the compact form the remote store reads (with +Infinity kept)', async () => {
    const objects = (await client.request('GET', `/api/v1/projects/p/runs/${runId}/history/outline`)).body;
    const compact = await client.request('GET', `/api/v1/projects/p/runs/${runId}/history/outline?format=compact`);
    expect(compact.headers.get('content-type')).toMatch(/^application\/json/);
    const outline = compact.body.outline as { format: string; blocks: unknown[][] };
    expect(outline.format).toBe('compact');
    expect(outline.blocks).toHaveLength((objects.outline as { blocks: unknown[] }).blocks.length);
    const remote = new RemoteStoreAccess({ host: server.url, apiKey: client.token });
    const seen = await remote.historyOutline({ project: 'p', id: runId });
    expect(seen?.blocks[1].keys.acc.max).toBe(Number.POSITIVE_INFINITY);
    expect(seen).toEqual(decodeJsonValue(objects.outline));
  });

  it('reads a zoomed step range and chosen rows in full', async () => {
    const range = (
      await client.request('GET', `/api/v1/projects/p/runs/${runId}/history/range?minStep=698&maxStep=701`)
    ).body.rows as Record<string, unknown>[];
    expect(range.map((r) => r._step)).toEqual([698, 699, 700, 701]);
    expect(range[2].acc).toEqual({ _type: 'float', value: 'Infinity' });
    const chosen = await client.json('POST', `/api/v1/projects/p/runs/${runId}/history/rows`, {
      positions: [0, 513, 1299, 5000],
      steps: [42],
    });
    expect((chosen.body.rows as { _step: number }[]).map((r) => r._step)).toEqual([0, 42, 513, 1299]);
  });

  it('lists the run files and serves their bytes by range', async () => {
    const files = (await client.request('GET', `/api/v1/projects/p/runs/${runId}/files`)).body as unknown as {
      name: string;
      size: number;
    }[];
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['run.json', 'history.jsonl', 'files/weights.bin']),
    );
    const response = await fetch(
      `${server.url}/api/v1/projects/p/runs/${runId}/files/files/weights.bin?offset=2&length=3`,
      {
        headers: { authorization: `Bearer ${client.token}` },
      },
    );
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([3, 4, 5]);
    expect(response.headers.get('x-runlog-size')).toBe('8');
  });
});
