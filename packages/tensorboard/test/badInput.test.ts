import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api, RunlogError } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { RECORD_HEADER_BYTES, writeRecord } from '../src/format/recordFraming.js';
import { scanRecords } from '../src/format/recordReader.js';
import { exportRuns, importTensorboard } from '../src/index.js';
import { ProtoWriter } from '../src/proto/protoWriter.js';
import { quietInit, tempDir } from './helpers/store.js';

const root = tempDir('runlog-tb-bad-');
const GOLDEN_RUN = fileURLToPath(new URL('./fixtures/python-logdir/pytorch', import.meta.url));
const goldenFile = () => {
  const name = readdirSync(GOLDEN_RUN)[0];
  return { name, bytes: new Uint8Array(readFileSync(join(GOLDEN_RUN, name))) };
};

/** Offsets [start of header, end of record) of each record of a file. */
function recordBounds(bytes: Uint8Array): Array<[number, number]> {
  const bounds: Array<[number, number]> = [];
  scanRecords(bytes, 0, bytes.length, (start, end) => bounds.push([start - RECORD_HEADER_BYTES, end + 4]));
  return bounds;
}

/** A logdir holding the golden PyTorch-style file, changed by `edit`, under a fresh name. */
function logdirWith(label: string, edit: (bytes: Uint8Array) => Uint8Array): string {
  const { name, bytes } = goldenFile();
  const logdir = join(root, label);
  mkdirSync(join(logdir, 'pytorch'), { recursive: true });
  writeFileSync(join(logdir, 'pytorch', name), edit(bytes.slice()));
  return logdir;
}

async function importedLoss(logdir: string, project: string) {
  const [run] = await importTensorboard(logdir, { project, dir: join(root, 'store') });
  const view = await new Api({ dir: join(root, 'store') }).run(run.path);
  const steps: number[] = [];
  for await (const row of view.scanHistory({ keys: ['loss'] })) steps.push(row._step as number);
  return { run, steps };
}

describe('bad event files: never a crash, every loss counted', () => {
  it('a file cut inside its last record is read up to its last whole record', async () => {
    const { bytes } = goldenFile();
    const bounds = recordBounds(bytes);
    const logdir = logdirWith('truncated', (b) => b.subarray(0, bounds.at(-1)![1] - 3));
    const { run, steps } = await importedLoss(logdir, 'truncated');
    expect(run.stats.truncatedFiles).toBe(1);
    expect(steps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // the last record (a pr curve) was the one cut
    expect(run.stats.records).toBe(bounds.length - 1);
  });

  it('a record whose data crc is wrong is skipped and counted; the records after it are read', async () => {
    const { bytes } = goldenFile();
    const [start, end] = recordBounds(bytes)[3]; // the scalars of step 2
    const logdir = logdirWith('bad-crc', (b) => {
      b[Math.floor((start + end) / 2)] ^= 0xff;
      return b;
    });
    const { run, steps } = await importedLoss(logdir, 'badcrc');
    expect(run.stats.badCrcRecords).toBe(1);
    expect(steps).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a header whose crc is wrong: the reader finds the next record and counts the bytes it skipped', async () => {
    const { bytes } = goldenFile();
    const [start, end] = recordBounds(bytes)[5]; // step 4
    const logdir = logdirWith('bad-header', (b) => {
      b[start + 1] ^= 0x40;
      return b;
    });
    const { run, steps } = await importedLoss(logdir, 'badheader');
    expect(run.stats.skippedBytes).toBe(end - start);
    expect(steps).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
  });

  it('records with intact crcs that are not Events, and files of garbage, are counted as malformed or skipped', async () => {
    const logdir = join(root, 'garbage');
    mkdirSync(join(logdir, 'run'), { recursive: true });
    const out = new ProtoWriter();
    writeRecord(out, Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f)); // a field longer than the record
    writeFileSync(join(logdir, 'run', 'events.out.tfevents.1.a'), out.toBytes());
    writeFileSync(
      join(logdir, 'run', 'events.out.tfevents.2.b'),
      Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) & 255),
    );
    const [run] = await importTensorboard(logdir, { project: 'garbage', dir: join(root, 'store') });
    expect(run.stats.malformed).toBe(1);
    expect(run.stats.skippedBytes + run.stats.truncatedFiles).toBeGreaterThan(0);
    expect(run.rows).toBe(0);
  });

  it('a logdir that does not exist is RUN_NOT_FOUND; an empty one imports nothing', async () => {
    await expect(importTensorboard(join(root, 'nope'), { project: 'x', dir: join(root, 'store') })).rejects.toSatisfy(
      (error) => error instanceof RunlogError && error.code === 'RUN_NOT_FOUND',
    );
    mkdirSync(join(root, 'empty'));
    expect(await importTensorboard(join(root, 'empty'), { project: 'x', dir: join(root, 'store') })).toEqual([]);
  });

  it('files that grew since the last import replace the run (same id, new rows)', async () => {
    const logdir = join(root, 'grows');
    cpSync(GOLDEN_RUN, join(logdir, 'pytorch'), { recursive: true });
    const { name, bytes } = goldenFile();
    const bounds = recordBounds(bytes);
    writeFileSync(join(logdir, 'pytorch', name), bytes.subarray(0, bounds[4][1])); // file_version and steps 0 to 3
    const first = await importedLoss(logdir, 'grows');
    writeFileSync(join(logdir, 'pytorch', name), bytes);
    const second = await importedLoss(logdir, 'grows');
    expect(second.run.path).toBe(first.run.path);
    expect(second.run.status).toBe('replaced');
    expect(first.steps).toEqual([0, 1, 2, 3]);
    expect(second.steps).toHaveLength(10);
    expect(await new Api({ dir: join(root, 'store') }).runs('grows').toArray()).toHaveLength(1);
  });

  it('export refuses a history image path that leaves the run folder (a damaged or hostile store)', async () => {
    const store = join(root, 'hostile');
    const victim = await quietInit(store, { project: 'p', name: 'victim' });
    victim.log({ secret: 1 });
    await victim.finish();
    const run = await quietInit(store, { project: 'p', name: 'hostile' });
    run.log({ x: 1 });
    await run.finish();
    const history = join(run.dir, 'history.jsonl');
    const ref = { _type: 'image-file', path: `../${victim.id}/run.json`, sha256: '0', size: 1, width: 1, height: 1 };
    writeFileSync(
      history,
      `${readFileSync(history, 'utf8')}${JSON.stringify({ _step: 1, _runtime: 0, _timestamp: 0, pic: ref })}\n`,
    );
    const [exported] = await exportRuns([await new Api({ dir: store }).run(run.path)], {
      logdir: join(root, 'hostile-tb'),
    });
    expect(exported.images).toBe(0);
    expect(exported.skipped).toEqual({ 'image (unreadable)': 1 });
  });
});
