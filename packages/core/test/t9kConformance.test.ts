import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Api, Artifact, createRun, Run } from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

const quiet = { quiet: true, console: false, systemMetrics: false };
const withoutTimes = (rows: Record<string, unknown>[]) => rows.map(({ _runtime, _timestamp, ...row }) => row);

// t9k's semantics (issue 14 items 1, 12, 13, 14).
describe("t9k's log(type, metrics, step, epoch): one step counter per type", () => {
  it('keeps a val record whose step is below the train step (no record dropped)', async () => {
    const run = await quietInit(tempStore(), { settings: { ...quiet, quiet: false } });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    for (let step = 0; step < 4; step++) run.logMetrics('train', { loss: 1 / (step + 1) }, { step, epoch: 0 });
    run.logMetrics('validation', { loss: 0.7 }, { step: 1, epoch: 0 });
    run.logMetrics('val', { loss: 0.6 }, { step: 3 });
    run.log({ lr: 0.1 }); // wandb's log goes on at the next _step
    await run.finish();
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.includes('dropped'))).toEqual([]);
    expect(withoutTimes(readRows(join(run.dir, 'history.jsonl')))).toEqual([
      { _step: 0, 'train/loss': 1, 'train/step': 0, 'train/epoch': 0 },
      { _step: 1, 'train/loss': 0.5, 'train/step': 1, 'train/epoch': 0 },
      { _step: 2, 'train/loss': 1 / 3, 'train/step': 2, 'train/epoch': 0 },
      { _step: 3, 'train/loss': 0.25, 'train/step': 3, 'train/epoch': 0 },
      { _step: 4, 'val/loss': 0.7, 'val/step': 1, 'val/epoch': 0 },
      { _step: 5, 'val/loss': 0.6, 'val/step': 3 },
      { _step: 6, lr: 0.1 },
    ]);
  });

  it("defines each type's axis so charts use it, and keeps a user's own definition of the type", async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('val/*', { summary: 'min' });
    run.logMetrics('train', { loss: 0.5 }, { step: 0 });
    run.logMetrics('val', { loss: 0.4 }, { step: 0 });
    run.logMetrics('val', { loss: 0.6 }, { step: 1 });
    const definitions = run.metricDefinitions();
    expect(definitions).toContainEqual({ name: 'train/*', stepMetric: 'train/step', stepSync: true });
    expect(definitions).toContainEqual({ name: 'train/step', hidden: true });
    expect(definitions).toContainEqual({ name: 'val/*', summary: 'min', stepMetric: 'val/step', stepSync: true });
    expect(run.summary.get('val/loss')).toBe(0.4);
    await run.finish();
    // Readers resolve the chart's x axis from metrics.json as the engine does.
    const view = await new Api({ dir: run.storeDir }).run(run.path);
    const { metricResolver } = await import('@runlog/core/browser');
    const resolveKey = metricResolver(await view.metricDefinitions());
    expect(resolveKey('val/loss')?.stepMetric).toBe('val/step');
    expect(resolveKey('train/loss')?.stepMetric).toBe('train/step');
  });

  it("without a step, continues the type's own counter (across a resume too)", async () => {
    const dir = tempStore();
    const run = await quietInit(dir, { id: 'steps' });
    run.logMetrics('train', { loss: 1 }, { step: 10 });
    run.logMetrics('train', { loss: 2 });
    run.logMetrics('test', { acc: 0.5 });
    await run.finish();
    const again = await quietInit(dir, { id: 'steps', resume: 'allow' });
    again.logMetrics('train', { loss: 3 });
    await again.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => r['train/step'] ?? r['test/step'])).toEqual([10, 11, 0, 12]);
  });

  it('rejects bad steps, epochs and metric names that collide with the axes', async () => {
    const run = await quietInit(tempStore());
    for (const options of [{ step: -1 }, { step: 1.5 }, { epoch: -2 }, { step: 2 ** 53 }]) {
      expect(() => run.logMetrics('train', { loss: 1 }, options)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    expect(() => run.logMetrics('train', { step: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => run.logMetrics('train', [1] as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => run.logMetrics('train', { loss: 1 }, { stepp: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    await run.finish();
    expect(run.status().rowsWritten).toBe(0);
  });
});

describe('run.metrics, toDict and Run.parseFromDict (t9k)', () => {
  it("run.metrics reads t9k's per-type records back from history", async () => {
    const run = await quietInit(tempStore());
    run.logMetrics('train', { loss: 0.5, acc: 0.7 }, { step: 0, epoch: 0 });
    run.logMetrics('train', { loss: 0.4, acc: 0.8 }, { step: 1, epoch: 0 });
    run.logMetrics('evaluate', { acc: 0.75 }, { step: 1 });
    run.log({ other: 1 });
    const metrics = await run.metrics; // an async getter: nothing is held in memory while logging
    expect(Object.keys(metrics).sort()).toEqual(['test', 'train']);
    expect(metrics.train.map(({ timestamp, ...r }) => r)).toEqual([
      { step: 0, epoch: 0, metrics: { loss: 0.5, acc: 0.7 } },
      { step: 1, epoch: 0, metrics: { loss: 0.4, acc: 0.8 } },
    ]);
    expect(metrics.test[0]).toMatchObject({ step: 1, epoch: null, metrics: { acc: 0.75 } });
    expect(Number.isNaN(Date.parse(metrics.test[0].timestamp))).toBe(false);
    await run.finish();
    expect((await run.metrics).train).toHaveLength(2); // still readable once finished
  });

  it('toDict has the fields of t9k to_dict, and parseFromDict makes a read-only view of it', async () => {
    const dir = tempStore();
    const run = await quietInit(dir, { name: 'cnn', tags: ['keras'], notes: 'a CNN', config: { lr: 0.001 } });
    run.logMetrics('train', { loss: 0.3 }, { step: 5, epoch: 1 });
    const artifact = new Artifact('digits', 'dataset');
    const file = join(dir, 'data.txt');
    writeFileSync(file, 'x');
    await artifact.addFile(file);
    await run.logArtifact(artifact);
    await run.finish();
    const dict = await run.toDict();
    expect(dict).toMatchObject({
      name: 'cnn',
      labels: ['keras'],
      description: 'a CNN',
      hparams: { lr: 0.001 },
      status: 'finished',
      alternativeName: null,
      associations: { inputs: [], outputs: [{ name: 'test/digits:v0', type: 'dataset' }] },
    });
    expect(dict.metrics.train[0]).toMatchObject({ step: 5, epoch: 1, metrics: { loss: 0.3 } });
    expect(typeof dict.startTimestamp).toBe('string');
    expect(typeof dict.endTimestamp).toBe('string');
    expect(dict.platform).toHaveProperty('node');
    expect(run.state).toBe('finished'); // t9k's status

    const view = Run.parseFromDict(JSON.parse(JSON.stringify(dict)));
    expect(view.toDict()).toEqual(dict);
    expect(Object.isFrozen(view.metrics.train[0])).toBe(true);
    expect(() => {
      (view as { name: string }).name = 'x';
    }).toThrow(TypeError);
    // t9k's own snake_case and metadata form.
    const t9k = Run.parseFromDict({
      metadata: { name: 'old', labels: ['a'], start_timestamp: '2026-01-01T00:00:00Z', alternative_name: 'old-2' },
      hparams: { bs: 8 },
      metrics: { train: [{ step: 0, metrics: { loss: 1 } }] },
    });
    expect(t9k).toMatchObject({ name: 'old', startTimestamp: '2026-01-01T00:00:00Z', alternativeName: 'old-2' });
    expect(() => Run.parseFromDict('x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => Run.parseFromDict({ labels: 'a' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe("createRun's options (t9k)", () => {
  const saved = { RUNLOG_DIR: process.env.RUNLOG_DIR, EM_RUN_PARENT_DIR: process.env.EM_RUN_PARENT_DIR };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("keeps the config file's alternative_name and the upload options in run.json", async () => {
    const dir = tempStore();
    const configPath = join(dir, 'run_config.yaml');
    writeFileSync(
      configPath,
      ['name: cnn_keras', 'alternative_name: cnn_keras_2', 'folder: cv/mnist', 'conflict_strategy: skip'].join('\n'),
    );
    const run = await createRun({ configPath, dir, makeFolder: true, settings: quiet });
    await run.finish();
    expect(readJsonFile(join(run.dir, 'run.json'))).toMatchObject({
      name: 'cnn_keras',
      alternativeName: 'cnn_keras_2',
      upload: { autoUpload: false, folder: 'cv/mnist', makeFolder: true, conflictStrategy: 'skip' },
    });
    expect(run.toJSON()).toMatchObject({ alternativeName: 'cnn_keras_2' });
    expect((await run.toDict()).alternativeName).toBe('cnn_keras_2');
    const view = await new Api({ dir }).run(run.path);
    expect(view.name).toBe('cnn_keras');
  });

  it('an upload fails with NEEDS_SERVER only when it is attempted; bad upload options are INVALID_ARGUMENT', async () => {
    const dir = tempStore();
    await expect(createRun({ dir, autoUpload: true, settings: quiet })).rejects.toMatchObject({ code: 'NEEDS_SERVER' });
    await expect(createRun({ dir, conflictStrategy: 'merge' as never, settings: quiet })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const configPath = join(dir, 'bad.yaml');
    writeFileSync(configPath, 'name: x\nunknown_key: 1\n');
    await expect(createRun({ dir, configPath, settings: quiet })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(createRun({ dir, auto_upload: true, settings: quiet } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const run = await createRun({ dir, folder: 'team/x', settings: quiet });
    await expect(run.upload()).rejects.toMatchObject({
      code: 'NEEDS_SERVER',
      message: expect.stringContaining('team/x'),
    });
    await expect(run.upload({ conflictStrategy: 'nope' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(run.upload({ make_folder: true } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await run.finish();
  });

  it('honours EM_RUN_PARENT_DIR as the store when RUNLOG_DIR is unset', async () => {
    const emDir = tempStore('runlog-em-');
    delete process.env.RUNLOG_DIR;
    process.env.EM_RUN_PARENT_DIR = emDir;
    const run = await createRun({ name: 'em', settings: quiet });
    await run.finish();
    expect(run.storeDir).toBe(resolve(emDir));
    expect((await new Api().runs('uncategorized').toArray()).map((r) => r.id)).toContain(run.id);

    const runlogDir = tempStore();
    process.env.RUNLOG_DIR = runlogDir;
    const second = await createRun({ name: 'rl', settings: quiet });
    await second.finish();
    expect(second.storeDir).toBe(resolve(runlogDir));
  });
});
