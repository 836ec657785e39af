// Stores for the read-API tests, made by the real engine (init/log/finish), a real child process killed with
// SIGKILL for a crashed run, and real artifacts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { init, type Run } from '@runlog/core';
import { tempStore } from './helpers.js';

const quiet = { quiet: true, systemMetrics: false, console: false } as const;

export interface ApiStore {
  dir: string;
  ids: { alpha: string; beta: string; failed: string; crashed: string; artifacts: string };
}

/** Spawns apiChildRun.ts, waits until 50 rows are on disk, kills it with SIGKILL. */
export async function crashedRun(dir: string, project: string, id: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'apiChildRun.ts'), dir, project, id],
    {
      cwd: join(import.meta.dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes('FLUSHED')) resolve();
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before FLUSHED: ${err}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Two projects: `vision` with finished runs alpha and beta (different configs, tags, groups), a failed run, a
 * run killed with SIGKILL, and a run that logged an artifact; `nlp` with one finished run.
 */
export async function makeApiStore(): Promise<ApiStore> {
  const dir = tempStore('runlog-api-');
  const start = (options: Parameters<typeof init>[0]) => init({ dir, project: 'vision', ...options, settings: quiet });

  const alpha = await start({
    name: 'alpha',
    config: { lr: 0.1, model: { layers: 3 }, optimizer: 'adam' },
    tags: ['baseline', 'small'],
    group: 'sweep-1',
    jobType: 'train',
    notes: 'first try',
  });
  for (let i = 0; i < 200; i++) {
    const row: Record<string, unknown> = { loss: 2 / (i + 1) + (i === 120 ? 5 : 0), acc: i / 200 };
    if (i % 10 === 0) row['val/acc'] = i / 250;
    if (i === 50) row.acc = Number.NaN;
    if (i === 7) row.lossMin = -1;
    row.nested = { depth: i };
    alpha.log(row);
  }
  await alpha.finish();

  const beta = await start({
    name: 'beta',
    config: { lr: 0.01, model: { layers: 5 }, optimizer: 'sgd' },
    tags: ['large'],
    group: 'sweep-1',
    jobType: 'train',
  });
  for (let i = 0; i < 30; i++) beta.log({ loss: 1 / (i + 1), acc: 0.5 + i / 100 });
  await beta.finish();

  const failed = await start({ name: 'broken', config: { lr: 1 }, tags: [], jobType: 'eval' });
  failed.log({ loss: Number.POSITIVE_INFINITY });
  await failed.finish(1);

  const crashedId = 'killed01';
  await crashedRun(dir, 'vision', crashedId);

  const producer: Run = await start({ name: 'producer', jobType: 'data' });
  const dataDir = join(dir, '..', `${relative(join(dir, '..'), dir)}-data`);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'train.csv'), 'x,y\n1,2\n');
  await producer.logArtifact(dataDir, { name: 'digits', type: 'dataset', aliases: ['best'] });
  producer.log({ rows: 1 });
  await producer.finish();
  const consumer = await start({ name: 'consumer' });
  await consumer.useArtifact('digits:best');
  await consumer.finish();

  const nlp = await init({ dir, project: 'nlp', name: 'gamma', config: { lr: 0.2 }, settings: quiet });
  nlp.log({ loss: 0.3 });
  await nlp.finish();

  return {
    dir,
    ids: { alpha: alpha.id, beta: beta.id, failed: failed.id, crashed: crashedId, artifacts: producer.id },
  };
}

/** sha256 over every file's path, size, mtime and bytes: any change on disk changes it. */
export function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const info = statSync(path);
      hash.update(`${relative(dir, path)}\0${info.isDirectory() ? 'dir' : info.size}\0${info.mtimeMs}\n`);
      if (info.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}
