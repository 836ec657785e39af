// Scale-out, with real parts: a throwaway PostgreSQL 15 cluster, s3rver for blobs, and two `runlog server`
// processes on them. The seam's contract runs through `new Api({ host })` against the replica that did NOT
// receive the data, and a client with both replicas fails over when one is SIGKILLed mid-scan.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreAccessContract } from '../../core/test/contract/storeAccessContract.js';
import { createTokenOffline } from '../src/index.js';
import { type ChildServer, startChildServer } from './support/childServer.js';
import { TestClient } from './support/httpClient.js';
import { type PostgresCluster, postgresUnavailable, startPostgresCluster } from './support/postgresCluster.js';
import { startS3, type TestS3 } from './support/s3Server.js';
import { uploadStore } from './support/uploadStore.js';

const skip = postgresUnavailable();
if (skip) console.warn(`skipping the PostgreSQL replica tests: ${skip}`);

let cluster: PostgresCluster | undefined;
let s3: TestS3 | undefined;
let replicas: ChildServer[] = [];
let token = '';
const data = mkdtempSync(join(tmpdir(), 'runlog-server-replicas-'));

afterAll(async () => {
  await Promise.allSettled(replicas.map((r) => r.kill()));
  await s3?.stop();
  cluster?.stop();
  rmSync(data, { recursive: true, force: true });
});

describe.skipIf(skip)('two replicas on PostgreSQL 15 and s3rver', () => {
  describeStoreAccessContract('replica B of two (data sent to A), PostgreSQL 15 + s3rver', async (store) => {
    cluster = await startPostgresCluster();
    s3 = await startS3();
    const options = { databaseUrl: cluster.url, s3: s3.options, port: 0, data, rateLimit: { perSecond: 0, burst: 0 } };
    replicas = await Promise.all([startChildServer(options), startChildServer(options)]);
    token = (await createTokenOffline({ databaseUrl: cluster.url, role: 'write' })).token;
    await uploadStore(new TestClient(replicas[0].url, token), store.dir);
    return new Api({ host: replicas[1].url, apiKey: token }).access;
  });

  describe('fail-over', () => {
    it('keeps reading through the other replica when the one in use is SIGKILLed mid-scan', async () => {
      const api = new Api({ host: replicas.map((r) => r.url), apiKey: token });
      expect(api.dir).toBe(replicas[0].url);
      const main = { project: 'contract', id: 'main' };
      const steps: number[] = [];
      // History by byte offset in small chunks; the replica answering so far dies after the second one.
      for (let offset = 0, chunk = 0; ; chunk++) {
        const read = await api.access.readStream(main, 'history', { offset, maxBytes: 8192 });
        steps.push(...read.rows.map((r) => r._step as number));
        if (chunk === 1) await replicas[0].kill();
        if (read.nextOffset >= read.size) break;
        offset = read.nextOffset;
      }
      expect(steps).toEqual(Array.from({ length: 1500 }, (_, i) => i));
      expect(api.access.location).toBe(replicas[1].url);
      const file = await api.artifactFile('contract/dataset:best', 'train.csv'); // blob from S3 via replica B
      expect(Buffer.from(file.bytes).toString()).toBe('x,y\n1,2\n');
      const listed = await api.runs('contract', { filters: { state: 'finished' } }).toArray();
      expect(listed.length).toBeGreaterThan(0);
    });
  });
});
