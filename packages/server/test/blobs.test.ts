import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { TestClient } from './support/httpClient.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import { startS3, type TestS3 } from './support/s3Server.js';

// Blobs on a real S3 API (s3rver on loopback), metadata in PGlite; parts of 5 MiB (S3's smallest) keep it quick.
const PART = 5 * 1024 * 1024;
let dir: string;
let s3: TestS3;
let server: RunningServer;
let client: TestClient;
let admin: TestClient;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Plan {
  uploadId: string;
  exists?: boolean;
  parts: { number: number; size: number; url: string; headers: Record<string, string>; done: boolean; etag?: string }[];
}

/** PUTs a part where the plan says (presigned S3 URL), then tells the server, as a client does. */
async function putPart(uploadId: string, part: Plan['parts'][number], bytes: Buffer): Promise<string> {
  const body = bytes.subarray((part.number - 1) * PART, (part.number - 1) * PART + part.size);
  const url = new URL(part.url, server.url);
  const local = url.origin === new URL(server.url).origin;
  const response = await fetch(url, {
    method: 'PUT',
    body: body as unknown as BodyInit,
    headers: { ...part.headers, ...(local ? { authorization: `Bearer ${client.token}` } : {}) },
  });
  expect(response.status).toBe(200);
  const etag = response.headers.get('etag') ?? '';
  const done = await client.json('POST', `/api/v1/uploads/${uploadId}/parts/${part.number}/done`, { etag });
  expect(done.status).toBe(200);
  return etag;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-server-blobs-'));
  s3 = await startS3();
  await seedEmbeddedData(dir);
  const [writer, root] = [
    await createTokenOffline({ data: dir, project: 'p', role: 'write' }),
    await createTokenOffline({ data: dir, role: 'admin' }),
  ];
  server = await startServer({ data: dir, port: 0, s3: s3.options, partSize: PART });
  client = new TestClient(server.url, writer.token);
  admin = new TestClient(server.url, root.token);
});
afterAll(async () => {
  await server?.close();
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('blobs on S3-compatible storage', () => {
  it('takes a small blob through the server, once, and refuses bytes that do not match their digest', async () => {
    const bytes = randomBytes(1000);
    const digest = sha256(bytes);
    expect((await client.json('POST', '/api/v1/blobs/missing', { digests: [digest] })).body).toEqual({
      missing: [digest],
    });
    const put = await client.request('PUT', `/api/v1/blobs/${digest}`, bytes, {
      'content-type': 'application/octet-stream',
    });
    expect(put.body).toEqual({ sha256: digest, size: 1000, created: true });
    expect((await client.json('POST', '/api/v1/blobs/missing', { digests: [digest] })).body).toEqual({ missing: [] });
    const wrong = sha256(randomBytes(8));
    const bad = await client.request('PUT', `/api/v1/blobs/${wrong}`, bytes, {
      'content-type': 'application/octet-stream',
    });
    expect(bad.status).toBe(422);
    expect((await client.json('POST', '/api/v1/blobs/missing', { digests: [wrong] })).body).toEqual({
      missing: [wrong],
    });
    const read = await fetch(`${server.url}/api/v1/blobs/${digest}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(sha256(Buffer.from(await read.arrayBuffer()))).toBe(digest);
  });

  it('resumes a multipart upload to presigned URLs after the client died halfway', async () => {
    const bytes = randomBytes(2 * PART + 12345);
    const digest = sha256(bytes);
    const first = (await client.json('POST', `/api/v1/blobs/${digest}/uploads`, { size: bytes.length }))
      .body as unknown as Plan;
    expect(first.parts.map((p) => p.size)).toEqual([PART, PART, 12345]);
    expect(new URL(first.parts[0].url).origin).toBe(s3.options.endpoint); // straight to storage, not the server
    await putPart(first.uploadId, first.parts[0], bytes); // ...and the client dies here
    const again = (await client.json('POST', `/api/v1/blobs/${digest}/uploads`, { size: bytes.length }))
      .body as unknown as Plan;
    expect(again.uploadId).toBe(first.uploadId);
    expect(again.parts.map((p) => p.done)).toEqual([true, false, false]);
    const etags = new Map(again.parts.filter((p) => p.done).map((p) => [p.number, p.etag ?? '']));
    for (const part of again.parts.filter((p) => !p.done))
      etags.set(part.number, await putPart(again.uploadId, part, bytes));
    const parts = [...etags].map(([number, etag]) => ({ number, etag }));
    const done = await client.json('POST', `/api/v1/uploads/${again.uploadId}/complete`, { parts });
    expect(done.body).toEqual({ sha256: digest, size: bytes.length, created: true });
    const read = await fetch(`${server.url}/api/v1/blobs/${digest}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(sha256(Buffer.from(await read.arrayBuffer()))).toBe(digest);
    const known = (await client.json('POST', `/api/v1/blobs/${digest}/uploads`, { size: bytes.length })).body;
    expect(known).toMatchObject({ exists: true });
  });

  it('discards an upload whose bytes do not hash to its digest', async () => {
    const bytes = randomBytes(3000);
    const claimed = sha256(randomBytes(3000));
    const plan = (await client.json('POST', `/api/v1/blobs/${claimed}/uploads`, { size: 3000 }))
      .body as unknown as Plan;
    expect(plan.parts).toHaveLength(1);
    const etag = await putPart(plan.uploadId, plan.parts[0], bytes);
    const done = await client.json('POST', `/api/v1/uploads/${plan.uploadId}/complete`, {
      parts: [{ number: 1, etag }],
    });
    expect(done.status).toBe(422);
    expect((done.body.error as { code: string }).code).toBe('DIGEST_MISMATCH');
    expect((await client.json('POST', '/api/v1/blobs/missing', { digests: [claimed] })).body).toEqual({
      missing: [claimed],
    });
  });

  it('records run files only once their blobs are on the server', async () => {
    const bytes = randomBytes(100);
    const digest = sha256(bytes);
    const files = [{ path: 'media/image/a_0.png', sha256: digest, size: 100 }];
    const early = await client.json('PUT', '/api/v1/projects/p/runs/r/files', { files });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'BLOB_MISSING', missing: [digest] });
    await client.request('PUT', `/api/v1/blobs/${digest}`, bytes, { 'content-type': 'application/octet-stream' });
    expect((await client.json('PUT', '/api/v1/projects/p/runs/r/files', { files })).body).toEqual({ files: 1 });
    expect((await client.request('GET', '/api/v1/projects/p/runs/r/sync')).body.files).toEqual({
      'media/image/a_0.png': digest,
    });
  });
});

describe('S3 down for a while', () => {
  it('answers 503 while storage is unreachable, records nothing, and takes the same blob once it is back', async () => {
    const bytes = randomBytes(500);
    const digest = sha256(bytes);
    const put = () =>
      client.request('PUT', `/api/v1/blobs/${digest}`, bytes, { 'content-type': 'application/octet-stream' });
    const outage = s3.outage(1500);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await put();
    expect([during.status, (during.body.error as { code: string }).code]).toEqual([503, 'UNAVAILABLE']);
    expect((await client.json('POST', '/api/v1/blobs/missing', { digests: [digest] })).body).toEqual({
      missing: [digest],
    });
    await outage;
    expect((await put()).body).toEqual({ sha256: digest, size: 500, created: true });
    const files = [{ path: 'files/after-outage.bin', sha256: digest, size: 500 }];
    expect((await client.json('PUT', '/api/v1/projects/p/runs/outage/files', { files })).status).toBe(200);
    const redirected = await fetch(
      `${server.url}/api/v1/projects/p/runs/outage/files/files/after-outage.bin?redirect=1`,
      {
        headers: { authorization: `Bearer ${client.token}` },
      },
    );
    expect(sha256(Buffer.from(await redirected.arrayBuffer()))).toBe(digest); // followed to the presigned URL
    expect(redirected.url.startsWith(s3.options.endpoint)).toBe(true);
  });
});

describe('artifact versions', () => {
  it('numbers versions on the server and keeps one version per content, whichever machine logs it', async () => {
    const bytes = randomBytes(64);
    const digest = sha256(bytes);
    const manifest = {
      entries: {
        'model/weights.bin': { digest, size: 64, ref: null },
        'data.csv': { digest: null, size: null, ref: 's3://b/k' },
      },
    };
    const early = await client.json('POST', '/api/v1/projects/p/artifacts/net/versions', { type: 'model', manifest });
    expect(early.body.error).toMatchObject({ code: 'BLOB_MISSING', missing: [digest] });
    await client.request('PUT', `/api/v1/blobs/${digest}`, bytes, { 'content-type': 'application/octet-stream' });
    const first = await client.json('POST', '/api/v1/projects/p/artifacts/net/versions', {
      type: 'model',
      manifest,
      aliases: ['best'],
    });
    expect(first.body).toMatchObject({ version: 0, created: true });
    const again = await client.json('POST', '/api/v1/projects/p/artifacts/net/versions', {
      type: 'model',
      manifest,
      aliases: ['prod'],
    });
    expect(again.body).toEqual({ version: 0, digest: first.body.digest, created: false });
    const other = { entries: { 'data.csv': { digest: null, size: null, ref: 's3://b/k2' } } };
    expect(
      (await client.json('POST', '/api/v1/projects/p/artifacts/net/versions', { type: 'model', manifest: other })).body,
    ).toMatchObject({ version: 1 });
    const wrongType = await client.json('POST', '/api/v1/projects/p/artifacts/net/versions', {
      type: 'dataset',
      manifest: other,
    });
    expect((wrongType.body.error as { code: string }).code).toBe('ARTIFACT_TYPE_MISMATCH');
    const evil = await client.json('POST', '/api/v1/projects/p/artifacts/net/versions', {
      type: 'model',
      manifest: { entries: { '../../etc/passwd': { digest, size: 64, ref: null } } },
    });
    expect((evil.body.error as { code: string }).code).toBe('INVALID_PATH');
    const versions = (await client.request('GET', '/api/v1/projects/p/artifacts/net/versions')).body as unknown as {
      version: number;
      aliases: string[];
    }[];
    expect(versions.map((v) => [v.version, v.aliases])).toEqual([
      [0, ['best', 'prod']],
      [1, ['latest']],
    ]);
    const best = (await client.request('GET', '/api/v1/projects/p/artifacts/net/versions/best')).body;
    expect(best).toMatchObject({ version: 0, digest: first.body.digest, manifest });
  });
});
