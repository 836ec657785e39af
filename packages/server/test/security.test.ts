import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { historyLines, TestClient } from './support/httpClient.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';

let dir: string;
let server: RunningServer;
const tokens: Record<string, string> = {};
const as = (who: string) => new TestClient(server.url, tokens[who]);

/** A request with headers fetch will not send (Host, Origin). */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: path, method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const code = (answer: { body: Record<string, unknown> }) => (answer.body.error as { code?: string } | undefined)?.code;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-server-security-'));
  await seedEmbeddedData(dir);
  for (const [who, grant] of Object.entries({
    readA: { project: 'a', role: 'read' },
    writeA: { project: 'a', role: 'write' },
    writeB: { project: 'b', role: 'write' },
    adminA: { project: 'a', role: 'admin' },
    flood: { project: 'a', role: 'read' },
  } as const)) {
    tokens[who] = (await createTokenOffline({ data: dir, ...grant })).token;
  }
  server = await startServer({
    data: dir,
    port: 0,
    corsOrigins: ['https://trainer.example'],
    rateLimit: { perSecond: 10, burst: 30 },
  });
  await as('writeA').batch('a/r1', 'history', 0, historyLines(0, 10));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tokens and roles', () => {
  it('answers 401 without a token or with a wrong one, and never echoes the token', async () => {
    const none = await new TestClient(server.url).request('GET', '/api/v1/projects/a/runs/r1/sync');
    expect([none.status, code(none)]).toEqual([401, 'UNAUTHENTICATED']);
    const forged = `${tokens.readA.slice(0, -4)}AAAA`;
    const wrong = await new TestClient(server.url, forged).request('GET', '/api/v1/projects/a/runs/r1/sync');
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain(forged.slice(4, 20));
    expect((await new TestClient(server.url).request('GET', '/healthz')).status).toBe(200);
  });

  it('refuses a read token writing (403) and stores nothing', async () => {
    const answer = await as('readA').batch('a/r2', 'history', 0, historyLines(0, 5));
    expect([answer.status, code(answer)]).toEqual([403, 'FORBIDDEN']);
    const sync = await as('readA').request('GET', '/api/v1/projects/a/runs/r2/sync');
    expect(sync.body).toEqual({ streams: {}, documents: {}, files: {} });
  });

  it('hides project A from a token for project B (404), for reads and writes', async () => {
    const read = await as('writeB').request('GET', '/api/v1/projects/a/runs/r1/sync');
    expect([read.status, code(read)]).toEqual([404, 'NOT_FOUND']);
    const write = await as('writeB').batch('a/r1', 'history', 0, historyLines(0, 1));
    expect(write.status).toBe(404);
  });

  it('lets an admin of a project hand out tokens for that project only', async () => {
    const made = await as('adminA').json('POST', '/api/v1/tokens', { project: 'a', role: 'read' });
    expect(made.status).toBe(200);
    expect(String(made.body.token)).toMatch(/^rlt_/);
    expect(
      (await new TestClient(server.url, String(made.body.token)).request('GET', '/api/v1/projects/a/runs/r1/sync'))
        .status,
    ).toBe(200);
    const everywhere = await as('adminA').json('POST', '/api/v1/tokens', { role: 'admin' });
    expect(everywhere.status).toBe(403);
  });
});

describe('names, bodies and offsets', () => {
  it.each([
    ['../etc', 'r1'],
    ['a', '..'],
    ['a', '%2E%2E'],
    ['a', 'x%00y'],
    ["a'; DROP TABLE runs; --", 'r1'],
    ['a', 'r1%2F..%2F..%2Fb'],
  ])('refuses project %j run %j with INVALID_NAME and stores nothing', async (project, run) => {
    // Sent raw: fetch's URL parser would resolve '..' segments before they reach the server.
    const path = `/api/v1/projects/${encodeURIComponent(project).replaceAll('%25', '%')}/runs/${run}/streams/history?offset=0`;
    const answer = await raw(path, { authorization: `Bearer ${tokens.writeA}`, 'content-length': '0' }, 'POST');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('INVALID_NAME');
    const projects = await as('writeA').request('GET', '/api/v1/projects/a/runs/r1/sync');
    expect(projects.status).toBe(200);
  });

  it('refuses file paths that leave the run, NUL bytes and bad digests', async () => {
    const digest = 'a'.repeat(64);
    for (const path of ['../x', 'media/../../x', '/etc/passwd', 'a\\b', 'a\u0000b', '']) {
      const answer = await as('writeA').json('PUT', '/api/v1/projects/a/runs/r1/files', {
        files: [{ path, sha256: digest, size: 1 }],
      });
      expect([path, code(answer)]).toEqual([path, 'INVALID_PATH']);
    }
    const bad = await as('writeA').json('POST', '/api/v1/blobs/missing', { digests: ["' OR 1=1 --"] });
    expect(code(bad)).toBe('INVALID_DIGEST');
  });

  it('refuses oversize, malformed and unknown-encoding bodies with 4xx codes', async () => {
    const bomb = gzipSync(Buffer.alloc(70 * 1024 * 1024, 0x20));
    const big = await as('writeA').request('POST', '/api/v1/projects/a/runs/r3/streams/output?offset=0', bomb, {
      'content-encoding': 'gzip',
    });
    expect([big.status, code(big)]).toEqual([413, 'BODY_TOO_LARGE']);
    const notGzip = await as('writeA').request('POST', '/api/v1/projects/a/runs/r3/streams/output?offset=0', 'plain', {
      'content-encoding': 'gzip',
    });
    expect([notGzip.status, code(notGzip)]).toEqual([400, 'BODY_MALFORMED']);
    const zstd = await as('writeA').request('POST', '/api/v1/projects/a/runs/r3/streams/output?offset=0', 'x', {
      'content-encoding': 'zstd',
    });
    expect(zstd.status).toBe(415);
    const json = await as('writeA').request('PUT', '/api/v1/projects/a/runs/r3/documents/summary.json?seq=1', '{"a":', {
      'content-type': 'application/json',
    });
    expect(code(json)).toBe('BODY_MALFORMED');
    const sync = await as('writeA').request('GET', '/api/v1/projects/a/runs/r3/sync');
    expect(sync.body).toEqual({ streams: {}, documents: {}, files: {} });
  });

  it('refuses offsets in the future and non-numeric offsets', async () => {
    const future = await as('writeA').batch('a/r1', 'history', 10 ** 12, historyLines(10, 11));
    expect([future.status, code(future)]).toEqual([409, 'OFFSET_GAP']);
    const negative = await as('writeA').request('POST', '/api/v1/projects/a/runs/r1/streams/history?offset=-5', 'x\n');
    expect(code(negative)).toBe('INVALID_ARGUMENT');
    const sync = await as('writeA').request('GET', '/api/v1/projects/a/runs/r1/sync');
    expect(sync.body.streams).toEqual({ history: { hwm: Buffer.byteLength(historyLines(0, 10)), rows: 10 } });
  });
});

describe('what the server answers at all', () => {
  it('refuses a Host it does not serve (DNS rebinding) and a foreign Origin', async () => {
    const auth = { authorization: `Bearer ${tokens.readA}` };
    expect((await raw('/healthz', { host: 'attacker.example:8080' })).status).toBe(403);
    expect((await raw('/api/v1/projects/a/runs/r1/sync', { ...auth, host: 'localhost' })).status).toBe(200);
    const foreign = await raw('/api/v1/projects/a/runs/r1/sync', { ...auth, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('ORIGIN_NOT_ALLOWED');
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = await raw(
      '/api/v1/projects/a/runs/r1/sync',
      { origin: 'https://trainer.example', 'access-control-request-method': 'POST' },
      'OPTIONS',
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://trainer.example');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('Authorization');
  });

  it('limits requests per token with 429 and Retry-After', async () => {
    const flood = as('flood');
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => flood.request('GET', '/api/v1/projects/a/runs/r1/sync')),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(code(limited[0])).toBe('RATE_LIMITED');
    // Other tokens are not slowed down by this one.
    expect((await as('readA').request('GET', '/api/v1/projects/a/runs/r1/sync')).status).toBe(200);
  });

  it('refuses --no-auth unless bound to loopback', async () => {
    await expect(startServer({ noAuth: true, host: '0.0.0.0', data: join(dir, 'unused') })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    expect(readdirSync(dir)).not.toContain('unused');
  });
});
