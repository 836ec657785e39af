import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { init } from '@runlog/core';
import pg from 'pg';
import type { S3Options } from '../../src/index.js';

const quiet = { quiet: true, console: false, systemMetrics: false } as const;

/**
 * A local store with one finished run: `rows` history rows, two saved files, and an artifact of 20 small files
 * plus one of 12 MiB (sent as a multipart upload when the client's direct limit is lower).
 */
export async function makeSyncStore(
  dir: string,
  project: string,
  rows: number,
): Promise<{ runId: string; blobs: number }> {
  const run = await init({ dir, project, settings: quiet });
  for (let i = 0; i < rows; i++)
    run.log({ loss: 1 / (i + 1), acc: i / rows, lr: 0.001, epoch: i >> 10, gn: Math.sin(i) });
  const files = join(dir, `${project}-artifact`);
  mkdirSync(files, { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(files, `part-${i}.txt`), `${project} part ${i}\n`.repeat(1000 + i));
  const big = Buffer.alloc(12 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big.write(`${project}:${i}`, i);
  writeFileSync(join(files, 'weights.bin'), big);
  await run.logArtifact(files, { name: `${project}-model`, type: 'model', aliases: ['best'] });
  writeFileSync(join(dir, 'notes.txt'), `notes of ${project}\n`);
  await run.save(join(dir, 'notes.txt'), { basePath: dir });
  await run.finish();
  return { runId: run.id, blobs: 22 };
}

export interface StoredCounts {
  rows: number;
  distinctSteps: number;
  runFiles: number;
  versions: number;
  blobs: number;
  s3Blobs: number;
}

/** What PostgreSQL and the bucket hold for a run and its artifact: the exactly-once check of the fault tests. */
export async function storedCounts(url: string, s3: S3Options, project: string, runId: string): Promise<StoredCounts> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    const one = async (query: string, params: unknown[]) => Number((await sql.query(query, params)).rows[0].n);
    const run = 'SELECT pk FROM runs WHERE project = $1 AND run_id = $2';
    const { rows } = await sql.query(
      `SELECT count(*) AS n, count(DISTINCT step) AS d FROM history_rows WHERE run_pk = (${run})`,
      [project, runId],
    );
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: s3.credentials,
    });
    let s3Blobs = 0;
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'sha256/', ContinuationToken: token }),
      );
      s3Blobs += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    client.destroy();
    return {
      rows: Number(rows[0].n),
      distinctSteps: Number(rows[0].d),
      runFiles: await one(`SELECT count(*) AS n FROM run_files WHERE run_pk = (${run})`, [project, runId]),
      versions: await one(
        'SELECT count(*) AS n FROM artifact_versions v JOIN artifact_collections c ON c.pk = v.collection_pk WHERE c.project = $1',
        [project],
      ),
      blobs: await one('SELECT count(*) AS n FROM blobs', []),
      s3Blobs,
    };
  } finally {
    await sql.end();
  }
}
