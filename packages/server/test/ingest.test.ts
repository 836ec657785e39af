import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { historyLines, TestClient } from './support/httpClient.js';

// One embedded server (PGlite + blob folder) for the whole file: PGlite's first start runs initdb in WASM.
let dir: string;
let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-server-ingest-'));
  const { token } = await createTokenOffline({ data: dir, project: 'p', role: 'write' });
  server = await startServer({ data: dir, port: 0 });
  client = new TestClient(server.url, token);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stream batches keyed by byte offset', () => {
  it('stores a batch once, however often it is sent, and answers with the high-water mark', async () => {
    const text = historyLines(0, 1000);
    const first = await client.batch('p/once', 'history', 0, text);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      stream: 'history',
      hwm: Buffer.byteLength(text),
      rows: 1000,
      applied: Buffer.byteLength(text),
    });
    const again = await client.batch('p/once', 'history', 0, text);
    expect(again.body).toMatchObject({ hwm: Buffer.byteLength(text), rows: 1000, applied: 0 });
    const sync = await client.request('GET', '/api/v1/projects/p/runs/once/sync');
    expect(sync.body.streams).toEqual({ history: { hwm: Buffer.byteLength(text), rows: 1000 } });
  });

  it('applies only the new part of an overlapping retry, and refuses a gap with the offset it expects', async () => {
    const a = historyLines(0, 300);
    const b = historyLines(300, 600);
    const half = historyLines(0, 150);
    expect((await client.batch('p/overlap', 'history', 0, half)).status).toBe(200);
    // A retry of [0, a+b) after the server had [0, half): only the rest is new.
    const overlap = await client.batch('p/overlap', 'history', 0, a + b);
    expect(overlap.body).toMatchObject({ rows: 600, applied: Buffer.byteLength(a + b) - Buffer.byteLength(half) });
    const gap = await client.batch('p/overlap', 'history', Buffer.byteLength(a + b) + 10, historyLines(600, 601));
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'OFFSET_GAP', expected: Buffer.byteLength(a + b) });
  });

  it('refuses a batch that starts inside a line the server has, and a torn batch unless final', async () => {
    const text = historyLines(0, 10);
    await client.batch('p/torn', 'history', 0, text);
    // A client whose file no longer matches the server's bytes: the server's hwm falls inside one of its lines.
    const inside = await client.batch(
      'p/torn',
      'history',
      5,
      `${'x'.repeat(Buffer.byteLength(text) - 5)}${historyLines(10, 11)}`,
    );
    expect(inside.status).toBe(409);
    expect(inside.body.error).toMatchObject({ code: 'OFFSET_MISALIGNED', expected: Buffer.byteLength(text) });
    const torn = await client.batch('p/torn', 'history', Buffer.byteLength(text), '{"_step":10,"lo');
    expect(torn.status).toBe(400);
    expect((torn.body.error as { code: string }).code).toBe('BATCH_TORN');
    const final = await client.batch('p/torn', 'history', Buffer.byteLength(text), '{"_step":10,"lo', true);
    expect(final.body).toMatchObject({ rows: 10, hwm: Buffer.byteLength(text) + 15 });
  });

  it('skips damaged lines and repeated steps but counts their bytes', async () => {
    const text = `{"_step":0,"a":1}\nnot json\n{"a":2}\n{"_step":0,"a":3}\n\n{"_step":1,"a":4}\n`;
    const answer = await client.batch('p/damaged', 'history', 0, text);
    expect(answer.body).toMatchObject({ hwm: Buffer.byteLength(text), rows: 3 });
  });

  it('keeps NUL and lone surrogates out of jsonb without losing the row', async () => {
    const text = `{"_step":0,"note":"a\\u0000b","odd":"\\ud800"}\n`;
    const answer = await client.batch('p/unicode', 'alerts', 0, text);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ rows: 1 });
  });

  it('takes any bytes for output, and the other JSON-lines streams', async () => {
    const output = Buffer.from('epoch 1\r50%\u0000\xff');
    expect((await client.batch('p/streams', 'output', 0, output)).body).toMatchObject({ hwm: output.length });
    const system = '{"_timestamp":1,"system/cpu.percent":3}\n';
    expect((await client.batch('p/streams', 'system', 0, system)).body).toMatchObject({ rows: 1 });
    expect((await client.batch('p/streams', 'nope', 0, system)).status).toBe(404);
  });
});

describe('documents keyed by sequence number', () => {
  it('keeps the newest document and ignores a late retry of an older one', async () => {
    const run = { id: 'docs', project: 'p', name: 'brisk', state: 'running', tags: ['a'] };
    expect((await client.document('p/docs', 'run.json', 2, run)).body).toEqual({
      name: 'run.json',
      seq: 2,
      applied: true,
    });
    const late = await client.document('p/docs', 'run.json', 1, { ...run, state: 'pending' });
    expect(late.body).toEqual({ name: 'run.json', seq: 2, applied: false });
    const wrong = await client.document('p/docs', 'run.json', 3, { ...run, id: 'other' });
    expect((wrong.body.error as { code: string }).code).toBe('DOCUMENT_MISMATCH');
    expect((await client.document('p/docs', 'summary.json', 1, { loss: 0.1 })).body.applied).toBe(true);
    const sync = await client.request('GET', '/api/v1/projects/p/runs/docs/sync');
    expect(sync.body.documents).toEqual({ 'run.json': { seq: 2 }, 'summary.json': { seq: 1 } });
  });
});

describe('documents jsonb cannot hold', () => {
  it('stores a summary with NUL and a lone surrogate, with U+FFFD in their place', async () => {
    const answer = await client.request(
      'PUT',
      '/api/v1/projects/p/runs/nul/documents/summary.json?seq=1',
      '{"note":"a\\u0000b","odd":"\\ud800"}',
      {
        'content-type': 'application/json',
      },
    );
    expect(answer.body).toEqual({ name: 'summary.json', seq: 1, applied: true });
  });
});
