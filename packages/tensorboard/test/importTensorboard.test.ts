import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api, type RunView } from '@runlog/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTensorboard } from '../src/index.js';
import { runPythonJson } from './helpers/pythonTensorboard.js';
import { tempDir } from './helpers/store.js';

const root = tempDir('runlog-tb-import-');
const GOLDEN = fileURLToPath(new URL('./fixtures/python-logdir', import.meta.url));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

type Series = Record<string, Array<[number, number]>>;
interface Written {
  pytorch: { scalars: Series; weights: { edges: number[]; counts: number[] }; digits: string; hparams: object };
  keras: { scalars: Series; samples: string };
  tfjs: { scalars: Series };
  tfjsHistogram: { edges: number[]; counts: number[] };
  restart: { x: Array<[number, number]> };
}

/** The logdirs imported: one written now by TensorBoard's Python writers, and the copy checked in (no Python). */
const SOURCES = [
  {
    name: "written now by TensorBoard's own Python writers",
    write: (logdir: string) => runPythonJson<Written>('write_logdir.py', [logdir]),
  },
  {
    name: 'checked in (test/fixtures/python-logdir, made by the same script)',
    write: (_logdir: string) => JSON.parse(readFileSync(`${GOLDEN}.expected.json`, 'utf8')) as Written,
    logdir: GOLDEN,
  },
];

describe.each(SOURCES)('runlog import tensorboard: event files $name', (source) => {
  const logdir = source.logdir ?? join(root, 'logs');
  const store = join(root, `store-${source.logdir ? 'golden' : 'fresh'}`);
  let written: Written;
  let runs: Record<string, RunView>;
  let firstImport: Awaited<ReturnType<typeof importTensorboard>>;

  async function rowsOf(run: RunView): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of run.scanHistory()) rows.push(row);
    return rows;
  }

  function series(rows: Array<Record<string, unknown>>, key: string): Array<[number, unknown]> {
    return rows.filter((row) => key in row).map((row) => [row._step as number, row[key]]);
  }

  beforeAll(async () => {
    written = source.write(logdir);
    const imported = await importTensorboard(logdir, { project: 'tb', dir: store });
    firstImport = imported;
    expect(imported.map((run) => [run.name, run.status])).toEqual([
      ['keras', 'imported'],
      ['pytorch', 'imported'],
      ['restart', 'imported'],
      ['tfjs', 'imported'],
    ]);
    const api = new Api({ dir: store });
    runs = Object.fromEntries(await Promise.all(imported.map(async (run) => [run.name, await api.run(run.path)])));
  });

  it('PyTorch-style legacy protos: simple_value scalars, HistogramProto, Summary.Image, text and hparams', async () => {
    const run = runs.pytorch;
    const rows = await rowsOf(run);
    expect(series(rows, 'loss')).toEqual(written.pytorch.scalars.loss);
    expect(series(rows, 'acc')).toEqual(written.pytorch.scalars.acc);
    // several tags at one step in one row
    expect(rows).toHaveLength(10);
    const last = rows[9] as Record<
      string,
      { _type: string; bins?: number[]; values?: number[]; path?: string; text?: string }
    >;
    expect(last.weights).toMatchObject({
      _type: 'histogram',
      bins: written.pytorch.weights.edges,
      values: written.pytorch.weights.counts,
    });
    expect(last.digits._type).toBe('image-file');
    expect(sha256(readFileSync(join(run.dir, last.digits.path as string)))).toBe(written.pytorch.digits);
    expect(last.notes).toEqual({ _type: 'text', text: 'trained **10** steps' });
    expect(run.config).toEqual(written.pytorch.hparams);
    expect(run.state).toBe('failed'); // the hparams session ended with STATUS_FAILURE
    expect(run.tags).toEqual(['tensorboard']);
  });

  it('Keras train/ and validation/ folders make one run, tags prefixed, epochs in one row', async () => {
    const rows = await rowsOf(runs.keras);
    for (const [key, values] of Object.entries(written.keras.scalars)) expect(series(rows, key)).toEqual(values);
    const epoch2 = rows.find((row) => row._step === 2);
    expect(
      Object.keys(epoch2 ?? {})
        .filter((k) => !k.startsWith('_'))
        .sort(),
    ).toEqual(['train/epoch_loss', 'validation/epoch_loss']);
    const step4 = rows.find((row) => row._step === 4) as Record<
      string,
      { _type: string; bins?: number[]; values?: number[]; items?: Array<{ path: string }> }
    >;
    expect(step4['train/dense/kernel_0']._type).toBe('histogram');
    expect(step4['train/dense/kernel_0'].values?.reduce((a, b) => a + b)).toBe(64);
    expect(step4['train/samples']._type).toBe('image-list');
    const first = step4['train/samples'].items?.[0].path as string;
    expect(sha256(readFileSync(join(runs.keras.dir, first)))).toBe(written.keras.samples);
  });

  it('tf.node.tensorBoard layout (train/ and val/, simple_value, batch and epoch steps) keeps every step', async () => {
    const rows = await rowsOf(runs.tfjs);
    for (const [key, values] of Object.entries(written.tfjs.scalars)) expect(series(rows, key)).toEqual(values);
    expect(rows.find((row) => row._step === 2)).toMatchObject({
      'train/batch_loss': written.tfjs.scalars['train/batch_loss'][1][1],
      'train/epoch_loss': written.tfjs.scalars['train/epoch_loss'][1][1],
      'val/epoch_loss': written.tfjs.scalars['val/epoch_loss'][1][1],
    });
    expect(rows.find((row) => row._step === 3)?.['train/dense_Dense1/kernel']).toMatchObject({
      bins: written.tfjsHistogram.edges,
      values: written.tfjsHistogram.counts,
    });
  });

  it('a restarted writer: steps the new session went back over are replaced, as TensorBoard purges them', async () => {
    expect(series(await rowsOf(runs.restart), 'x')).toEqual(written.restart.x);
  });

  it('counts what it does not import (audio, pr_curves) and importing again creates no run twice', async () => {
    const pytorch = firstImport.find((run) => run.name === 'pytorch');
    expect(pytorch?.stats.skipped).toEqual({ audio: 1, pr_curves: 1 });
    expect(pytorch?.stats).toMatchObject({ badCrcRecords: 0, truncatedFiles: 0, malformed: 0 });
    expect(firstImport.find((run) => run.name === 'restart')?.stats.purged).toBe(5);
    const again = await importTensorboard(logdir, { project: 'tb', dir: store });
    expect(again.map((run) => run.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(await new Api({ dir: store }).runs('tb').toArray()).toHaveLength(4);
  });
});
