// The sync client's HTTP behaviour against real node:http servers: 429 with Retry-After, 503, a host that is
// down (fail-over), refusals not retried, and a stream resent from the offset a 409 OFFSET_GAP names.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RetryEvent, SyncTransport, syncStream } from '@runlog/core/browser';
import { afterEach, describe, expect, it } from 'vitest';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const quick = { baseDelayMs: 10, maxDelayMs: 50, giveUpAfterMs: 5000 };

describe('SyncTransport', () => {
  it('waits for Retry-After on 429, retries 503, and sends the token', async () => {
    const answers = [429, 503, 200];
    const seen: { at: number; auth?: string }[] = [];
    const url = await serve((req, res) => {
      seen.push({ at: Date.now(), auth: req.headers.authorization });
      const status = answers.shift() ?? 200;
      json(
        res,
        status,
        status === 200 ? { ok: true } : { error: { code: 'X' } },
        status === 429 ? { 'retry-after': '1' } : {},
      );
    });
    const events: RetryEvent[] = [];
    const transport = new SyncTransport({
      hosts: [url],
      apiKey: 'rlt_x',
      retry: quick,
      onRetry: (e) => events.push(e),
    });
    const answer = await transport.json('GET', '/api/v1/x');
    expect(answer.body).toEqual({ ok: true });
    expect(transport.retries).toBe(2);
    expect(events.map((e) => e.reason)).toEqual(['429', '503']);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(950); // Retry-After: 1 (s) honoured
    expect(seen.every((s) => s.auth === 'Bearer rlt_x')).toBe(true);
  });

  it('fails over to the next host when one is down, and does not retry a refusal', async () => {
    const down = await serve(() => {});
    servers[0].closeAllConnections();
    await new Promise((r) => servers.shift()?.close(r));
    const up = await serve((_req, res) => json(res, 403, { error: { code: 'FORBIDDEN', message: 'no' } }));
    const transport = new SyncTransport({ hosts: [down, up], retry: quick });
    const answer = await transport.json('GET', '/api/v1/x');
    expect(answer.status).toBe(403);
    expect(transport.retries).toBe(1);
    expect(transport.host).toBe(up);
  });

  it('gives up with SYNC_UNAVAILABLE when no host answers in time', async () => {
    const transport = new SyncTransport({
      hosts: ['http://127.0.0.1:9'],
      retry: { baseDelayMs: 10, maxDelayMs: 20, giveUpAfterMs: 200 },
    });
    await expect(transport.json('GET', '/api/v1/x')).rejects.toMatchObject({ code: 'SYNC_UNAVAILABLE' });
  });

  it('sends a stream in whole lines and resends from the offset a gap answer names', async () => {
    const text = Buffer.from('{"_step":0}\n{"_step":1}\n{"_step":2}\n{"_step":3,"torn');
    let hwm = 0;
    let gapOnce = true;
    const url = await serve((req, res, body) => {
      const offset = Number(new URL(req.url ?? '', 'http://x').searchParams.get('offset'));
      if (gapOnce && offset > 0) {
        gapOnce = false; // the server lost the first batch (a restore): it asks for byte 0 again
        hwm = 0;
        return json(res, 409, { error: { code: 'OFFSET_GAP', expected: 0 } });
      }
      expect(body[body.length - 1]).toBe(0x0a);
      hwm = offset + body.length;
      json(res, 200, { hwm });
    });
    const transport = new SyncTransport({ hosts: [url], retry: quick });
    const source = {
      name: 'history' as const,
      size: text.length,
      read: async (o: number, n: number) => text.subarray(o, o + n),
    };
    const report = await syncStream(transport, { project: 'p', runId: 'r' }, source, 0, false, { batchBytes: 16 });
    // The torn last line of a live run waits for the next sync.
    expect(report.hwm).toBe(text.lastIndexOf(0x0a) + 1);
    expect(hwm).toBe(report.hwm);
    expect(report.batches).toBeGreaterThan(3);
  });
});
