// `runlog sync` of a large artifact (issue 15): 1,000 files, 1 GiB, into a real S3 API (s3rver in its own
// process) through `runlog server` on PostgreSQL 15, against a bare @aws-sdk/lib-storage upload of the same files
// (4 at once, as the sync client sends them) into the same s3rver, interleaved, 5 repetitions; target >= 0.5x.
// Then a re-sync of the unchanged store: it must send < 1% of the bytes.
// BENCH_SYNC_FILES / BENCH_SYNC_FILE_KB shrink it for a smoke run. BENCH_BASELINE_BIN=<an older build's
// packages/cli/dist/bin.js> adds a third side, that build's server and sync (before/after in one run). Needs root
// (a throwaway cluster as user postgres).
import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { init } from '@runlog/core';
import pg from 'pg';
import { freePort, startPostgresCluster } from '../packages/server/test/support/postgresCluster.js';
import { startS3Child } from '../packages/server/test/support/s3Child.js';
import { interleave, printComparison, writeResults } from './lib/interleave.js';

const FILES = Number(process.env.BENCH_SYNC_FILES ?? 1000);
const FILE_BYTES = Number(process.env.BENCH_SYNC_FILE_KB ?? 1024) * 1024;
const TOTAL = FILES * FILE_BYTES;
const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'runlog-bench-sync-'));
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const baselineBin = process.env.BENCH_BASELINE_BIN;

function runlog(args: string[], env: Record<string, string> = {}, cli = bin): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (error, out, err) => (error ? reject(new Error(`runlog ${args[0]}: ${err}`)) : resolve(out)),
    ),
  );
}

// The local store: one run that logged a 1,000-file artifact of random (incompressible) bytes.
const source = join(work, 'files');
mkdirSync(source);
const chunk = Buffer.alloc(FILE_BYTES);
for (let i = 0; i < FILES; i++) {
  randomFillSync(chunk);
  writeFileSync(join(source, `shard-${String(i).padStart(4, '0')}.bin`), chunk);
}
const store = join(work, 'store');
const run = await init({
  dir: store,
  project: 'bench',
  settings: { quiet: true, console: false, systemMetrics: false },
});
await run.logArtifact(source, { name: 'shards', type: 'dataset' });
await run.finish();
console.log(`artifact: ${FILES} files, ${(TOTAL / 2 ** 20).toFixed(0)} MiB`);

const [cluster, s3] = await Promise.all([startPostgresCluster(), startS3Child()]);
const s3Env = { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
try {
  const sql = new pg.Client({ connectionString: cluster.url });
  await sql.connect();
  const s3Args = ['--s3-endpoint', s3.options.endpoint, '--s3-bucket', s3.options.bucket];
  /** `runlog server` of a build, on the same database and bucket (replicas of one deployment). */
  const startServer = async (cli: string) => {
    const port = await freePort();
    const serverArgs = ['server', '--port', String(port), '--data', join(work, `srv${port}`)];
    const child = execFile(process.execPath, [cli, ...serverArgs, '--database-url', cluster.url, ...s3Args], {
      env: { ...process.env, ...s3Env },
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if ((await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200) break;
      if (i > 600) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, child };
  };
  const server = await startServer(bin);
  const url = server.url;
  const before = baselineBin ? await startServer(baselineBin) : undefined;
  const token = (await runlog(['server', 'token', 'create', '--database-url', cluster.url, '--role', 'write']))
    .trim()
    .split('\n')
    .at(-1) as string;
  const bucketDir = join(s3.directory, s3.options.bucket);

  /** Forgets every blob and artifact on the server side, so that each repetition sends everything again. */
  const resetServer = async () => {
    await sql.query('TRUNCATE blobs, blob_uploads, blob_upload_parts, artifact_collections, runs CASCADE');
    for (const prefix of ['sha256', 'staging']) rmSync(join(bucketDir, prefix), { recursive: true, force: true });
  };
  const sync = async (host = url, cli = bin) =>
    JSON.parse(await runlog(['sync', run.id, '--dir', store, '--host', host, '--api-key', token, '--json'], {}, cli));

  const s3Client = new S3Client({
    endpoint: s3.options.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  let bareRound = 0;
  /** The baseline: the same files, each a lib-storage Upload (multipart above its 5 MiB part size), 4 at once. */
  const bare = async () => {
    bareRound++;
    const names = Array.from({ length: FILES }, (_, i) => `shard-${String(i).padStart(4, '0')}.bin`);
    const start = performance.now();
    const worker = async () => {
      for (let name = names.shift(); name; name = names.shift()) {
        const upload = new Upload({
          client: s3Client,
          params: {
            Bucket: s3.options.bucket,
            Key: `bare${bareRound}/${name}`,
            Body: readFileSync(join(source, name)),
          },
          queueSize: 4,
        });
        await upload.done();
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const seconds = (performance.now() - start) / 1000;
    rmSync(join(bucketDir, `bare${bareRound}`), { recursive: true, force: true });
    return TOTAL / 2 ** 20 / seconds;
  };
  const synced = async (host = url, cli = bin) => {
    await resetServer();
    const start = performance.now();
    const report = await sync(host, cli);
    const seconds = (performance.now() - start) / 1000;
    const sent = report.runs[0].artifacts.blobs.sentBytes;
    if (sent !== TOTAL) throw new Error(`sync sent ${sent} bytes, expected ${TOTAL}`);
    return TOTAL / 2 ** 20 / seconds;
  };

  const comparison = await interleave(
    `artifact sync: ${FILES} files, ${(TOTAL / 2 ** 20).toFixed(0)} MiB into s3rver`,
    [
      { name: 'runlog sync (server + S3)', run: () => synced() },
      { name: 'bare lib-storage upload', run: bare },
      ...(before && baselineBin
        ? [{ name: 'runlog sync, baseline build', run: () => synced(before.url, baselineBin) }]
        : []),
    ],
    { unit: 'MiB/s', higherIsBetter: true, repeats: 5, warmup: false },
  );
  printComparison(comparison);
  if (comparison.sides[2]) {
    const [, bareSide, old] = comparison.sides;
    console.log(
      `  baseline build / bare: median ${(old.median / bareSide.median).toFixed(3)}, best ${(old.min / bareSide.min).toFixed(3)}`,
    );
  }

  // The store unchanged: a second sync asks, finds everything there, and sends no file bytes.
  const start = performance.now();
  const again = await sync();
  const resyncSeconds = (performance.now() - start) / 1000;
  const r = again.runs[0];
  const resent =
    r.artifacts.blobs.sentBytes +
    r.files.blobs.sentBytes +
    r.streams.reduce((n: number, s: { sentBytes: number }) => n + s.sentBytes, 0);
  // What the re-sync's requests carry besides: the digests it asks about and the version's manifest.
  const manifest = readFileSync(join(store, 'bench', 'artifacts', 'shards', 'versions', 'v0', 'manifest.json')).length;
  const requestBytes = FILES * 69 + manifest;
  console.log(
    `re-sync: ${resyncSeconds.toFixed(2)} s, ${resent} payload bytes + ~${(requestBytes / 1024).toFixed(0)} KiB of requests = ${((100 * (resent + requestBytes)) / TOTAL).toFixed(3)}% of ${TOTAL} bytes`,
  );
  writeResults('server-sync', { comparison, files: FILES, bytes: TOTAL, resent, requestBytes, resyncSeconds });
  s3Client.destroy();
  server.child.kill('SIGINT');
  before?.child.kill('SIGINT');
  await sql.end();
} finally {
  await s3.stop();
  cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
