import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SyncStoreOptions, syncStore } from '@runlog/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { type ChildServer, startChildServer } from './support/childServer.js';
import {
  freePort,
  type PostgresCluster,
  postgresUnavailable,
  startPostgresCluster,
} from './support/postgresCluster.js';
import { startS3Child } from './support/s3Child.js';
import type { TestS3 } from './support/s3Server.js';
import { makeSyncStore, storedCounts } from './support/syncFixtures.js';

// `syncStore` (the client of `runlog sync`) against real parts failing mid-sync: the server SIGKILLed and
// restarted, PostgreSQL restarted, the S3 server down for a while. Every row, file and artifact arrives once.
const skip = postgresUnavailable();
const PART = 5 * 1024 * 1024;
const ROWS = 30_000;
let cluster: PostgresCluster;
let s3: TestS3;
let dir: string;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-sync-faults-'));
  if (skip) return;
  [cluster, s3] = await Promise.all([startPostgresCluster(), startS3Child()]);
  // Migrations run at the first server start; the token is made after, offline, as an operator would.
  const server = await startServer({ data: join(dir, 'srv'), databaseUrl: cluster.url, s3: s3.options, port: 0 });
  await server.close();
  token = (await createTokenOffline({ databaseUrl: cluster.url, role: 'write' })).token;
}, 120_000);
afterAll(async () => {
  cluster?.stop();
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Syncs a fresh store of one run, calling `fault` once when `after` bytes were acknowledged. */
async function syncWithFault(project: string, url: () => string, after: number, fault: () => Promise<void>) {
  const store = join(dir, project);
  const { runId, blobs } = await makeSyncStore(store, project, ROWS);
  const before = await storedCounts(cluster.url, s3.options, project, runId);
  let faulted: Promise<void> | undefined;
  const options: SyncStoreOptions = {
    dir: store,
    all: true,
    hosts: [url()],
    apiKey: token,
    batchBytes: 64 * 1024,
    blobDirectLimit: PART, // the 12 MiB file goes as a 3-part upload to presigned URLs
    blobConcurrency: 2,
    retry: { baseDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 120_000 },
    onBytes: (sent) => {
      if (!faulted && sent >= after) faulted = fault();
    },
  };
  const report = await syncStore(options);
  await faulted;
  const counts = await storedCounts(cluster.url, s3.options, project, runId);
  expect(counts).toMatchObject({ rows: ROWS, distinctSteps: ROWS, runFiles: 1, versions: 1 });
  expect(counts.blobs - before.blobs).toBe(blobs);
  expect(counts.s3Blobs).toBe(counts.blobs); // each blob stored once, at its address
  // Synced again: nothing is sent.
  const again = await syncStore({ ...options, onBytes: undefined });
  expect(again.runs[0]).toMatchObject({ streams: [], documents: [], files: { recorded: 0 } });
  expect(again.runs[0].artifacts.blobs.sentBytes).toBe(0);
  return report.runs[0];
}

describe.skipIf(skip)('runlog sync through faults (PostgreSQL 15 + s3rver)', () => {
  it('resumes exactly once after the server is SIGKILLed mid-sync and restarted', async () => {
    const port = await freePort();
    const options = { data: join(dir, 'killed'), databaseUrl: cluster.url, s3: s3.options, port, partSize: PART };
    let server: ChildServer = await startChildServer(options);
    try {
      const run = await syncWithFault(
        'killed',
        () => server.url,
        1_000_000,
        async () => {
          await server.kill();
          server = await startChildServer(options);
        },
      );
      expect(run.retries).toBeGreaterThan(0);
    } finally {
      await server.kill();
    }
  }, 240_000);

  /** A server in this process on the shared cluster and bucket, its data folder named for the test. */
  const inProcessServer = (folder: string): Promise<RunningServer> =>
    startServer({
      data: join(dir, folder),
      databaseUrl: cluster.url,
      s3: s3.options,
      port: 0,
      partSize: PART,
      logError: () => {},
    });

  it('resumes exactly once when PostgreSQL restarts mid-sync', async () => {
    const server = await inProcessServer('pg');
    try {
      const run = await syncWithFault(
        'pgrestart',
        () => server.url,
        1_000_000,
        () => cluster.restart(1500),
      );
      expect(run.retries).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 240_000);

  it('resumes exactly once when the S3 server is down for a while during the artifact upload', async () => {
    const server = await inProcessServer('s3');
    try {
      // The history is ~3 MB: past 5 MB the client is sending files and artifact objects.
      const run = await syncWithFault(
        's3down',
        () => server.url,
        5_000_000,
        () => s3.outage(2000),
      );
      expect(run.retries).toBeGreaterThan(0);
      expect(run.artifacts).toMatchObject({ versions: 1, created: 1 });
    } finally {
      await server.close();
    }
  }, 240_000);
});
