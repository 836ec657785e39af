import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, init } from '@runlog/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventFileWriter } from '../src/format/eventFileWriter.js';
import { scanRecords } from '../src/format/recordReader.js';
import { decodeEvent } from '../src/proto/eventDecoder.js';
import { REPO_ROOT } from './helpers/pythonTensorboard.js';
import { tempDir } from './helpers/store.js';

const root = tempDir('runlog-tb-init-');
const quiet = { console: false, systemMetrics: false, quiet: true } as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Writes what tf.node.tensorBoard(logdir) writes (TensorFlow's C++ writer: train/ and val/, simple_value). */
function tfjsNodeStyleCallback(logdir: string): tf.CustomCallbackArgs & { close(): Promise<void> } {
  const name = 'events.out.tfevents.1700000000.box';
  const writers = {
    train: new EventFileWriter(join(logdir, 'train', name)),
    val: new EventFileWriter(join(logdir, 'val', name)),
  };
  return {
    onEpochEnd: async (epoch, logs = {}) => {
      for (const [key, value] of Object.entries(logs)) {
        const writer = key.startsWith('val_') ? writers.val : writers.train;
        writer.encoder.beginEvent(Date.now() / 1000, epoch + 1);
        writer.encoder.simpleValue(`epoch_${key.replace(/^val_/, '')}`, value as number);
        writer.encoder.endEvent();
      }
      await Promise.all([writers.train.flush(), writers.val.flush()]);
    },
    close: async () => {
      await Promise.all([writers.train.close(), writers.val.close()]);
    },
  };
}

describe('init() options that start @runlog/tensorboard (loaded lazily by core)', () => {
  it('settings.tensorboard mirrors the run into <logdir>/<run name>/', async () => {
    const logdir = join(root, 'mirror');
    const run = await init({
      project: 'hook',
      dir: join(root, 'store'),
      name: 'mirrored',
      settings: { ...quiet, tensorboard: { logdir } },
    });
    for (let step = 0; step < 5; step++) run.log({ loss: 1 / (step + 1) });
    await run.finish();
    const [file] = readdirSync(join(logdir, 'mirrored'));
    const bytes = readFileSync(join(logdir, 'mirrored', file));
    const losses: Array<[number, string]> = [];
    scanRecords(bytes, 0, bytes.length, (start, end) => {
      const event = decodeEvent(bytes, start, end);
      for (const value of event.values) if (value.tag === 'loss') losses.push([event.step, value.kind]);
    });
    expect(losses).toEqual([0, 1, 2, 3, 4].map((step) => [step, 'tensor']));
  });

  it('syncTensorboard tails a tf.node.tensorBoard-style logdir during real tfjs training', async () => {
    const logdir = join(root, 'fit-logs');
    const store = join(root, 'store');
    const run = await init({ project: 'hook', dir: store, name: 'fit', syncTensorboard: logdir, settings: quiet });
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const xs = tf.randomNormal([64, 2]);
    const ys = xs.sum(1, true);
    const callback = tfjsNodeStyleCallback(logdir);
    const history = await model.fit(xs, ys, { epochs: 4, validationSplit: 0.25, callbacks: [callback], verbose: 0 });
    await callback.close();
    await run.finish();
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of (await new Api({ dir: store }).run(run.path)).scanHistory()) rows.push(row);
    expect(rows.map((row) => row._step)).toEqual([1, 2, 3, 4]);
    expect(rows.map((row) => row['train/epoch_loss'])).toEqual(
      history.history.loss.map((v) => Math.fround(v as number)),
    );
    expect(rows.map((row) => row['val/epoch_loss'])).toEqual(
      history.history.val_loss.map((v) => Math.fround(v as number)),
    );
  });

  it('without @runlog/tensorboard installed, init rejects with DEPENDENCY_MISSING and creates no run', () => {
    const coreDist = join(REPO_ROOT, 'packages/core/dist/index.js');
    if (!existsSync(coreDist))
      execFileSync('pnpm', ['--filter', '@runlog/core', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' });
    const cwd = tempDir('runlog-tb-nopkg-');
    const script = `import(${JSON.stringify(coreDist)}).then((core) => core.init({ dir: 'store', settings: { tensorboard: { logdir: 'tb' } } }))
      .then(() => console.log('created'), (error) => console.log(error.code))`;
    // NODE_PATH (pnpm sets it for scripts, pointing at every hoisted package) would let require() find it anyway.
    const env = { ...process.env, NODE_PATH: undefined };
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, env, encoding: 'utf8' });
    expect(child.stdout.trim()).toBe('DEPENDENCY_MISSING');
    expect(existsSync(join(cwd, 'store'))).toBe(false);
  });

  it('refuses a tensorboard setting without a logdir', async () => {
    await expect(
      init({ dir: join(root, 'store'), settings: { ...quiet, tensorboard: {} as never } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
