import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, createRun, init, RunlogError } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

describe('resume', () => {
  it("'allow' continues step, summary aggregates and config of a stored run", async () => {
    const dir = tempStore();
    const first = await quietInit(dir, { id: 'r1', config: { lr: 0.1 } });
    first.defineMetric('loss', { summary: 'min' });
    first.log({ loss: 0.5 });
    first.log({ loss: 0.2 });
    first.summary.set('note', 'manual');
    await first.finish();

    const second = await quietInit(dir, { id: 'r1', resume: 'allow', config: { epochs: 3 } });
    expect(second.resumed).toBe(true);
    expect(second.step).toBe(2);
    expect(second.config.toJSON()).toEqual({ lr: 0.1, epochs: 3 });
    second.log({ loss: 0.3 });
    expect(second.summary.get('loss')).toBe(0.2);
    expect(second.summary.get('note')).toBe('manual');
    await second.finish();
    const rows = readRows(join(second.dir, 'history.jsonl'));
    expect(rows.map((r) => r._step)).toEqual([0, 1, 2]);
    expect(rows[2]._runtime as number).toBeGreaterThanOrEqual(rows[1]._runtime as number);
    expect(readJsonFile(join(second.dir, 'run.json')).resumeCount).toBe(1);
  });

  it("'must' needs an existing run, 'never' refuses one, no mode refuses to reuse an id", async () => {
    const dir = tempStore();
    await expect(quietInit(dir, { id: 'none', resume: 'must' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    const run = await quietInit(dir, { id: 'taken' });
    await run.finish();
    await expect(quietInit(dir, { id: 'taken', resume: 'never' })).rejects.toMatchObject({ code: 'RUN_EXISTS' });
    await expect(quietInit(dir, { id: 'taken' })).rejects.toThrow(/resume: 'allow'/);
  });

  it('a line torn by a crash stays one damaged line: the rows logged after resuming are all kept', async () => {
    const dir = tempStore();
    const first = await quietInit(dir, { id: 'torn' });
    for (let i = 0; i < 5; i++) first.log({ loss: i });
    await first.finish();
    appendFileSync(join(first.dir, 'history.jsonl'), '{"_step":5,"loss":'); // killed mid-write
    const again = await quietInit(dir, { id: 'torn', resume: 'must' });
    again.log({ loss: 50 });
    again.log({ loss: 60 });
    await again.finish();
    const view = await new Api({ dir }).run(again.path);
    const scan = view.scanHistory();
    const rows = await scan.toArray();
    expect(rows.map((r) => r.loss)).toEqual([0, 1, 2, 3, 4, 50, 60]);
    expect(scan.skippedLines).toBe(1);
    // the index of the resumed session starts at its first row
    const index = (await view.historyIndex())!;
    expect(index.valueCount('loss')).toBe(7);
    expect(index.envelope('loss').values).toEqual([0, 4, 50, 60]);
  });

  it('refuses to resume a run this process still has open', async () => {
    const dir = tempStore();
    const run = await quietInit(dir, { id: 'open' });
    await expect(quietInit(dir, { id: 'open', resume: 'allow' })).rejects.toBeInstanceOf(RunlogError);
    await run.finish();
  });

  it("'auto' picks up the last unfinished run of the project and starts fresh after a clean finish", async () => {
    const dir = tempStore();
    const first = await quietInit(dir, { resume: 'auto' });
    first.log({ a: 1 });
    await first.flush();
    // Simulate a crash: the process forgets the run without finishing it.
    first.endSync('killed', 137);
    const again = await quietInit(dir, { resume: 'auto' });
    expect(again.id).toBe(first.id);
    expect(again.step).toBe(1);
    await again.finish();
    const fresh = await quietInit(dir, { resume: 'auto' });
    expect(fresh.id).not.toBe(first.id);
    await fresh.finish();
  });

  it('a pending run created ahead of time is picked up by init with its id', async () => {
    const dir = tempStore();
    const runDir = join(dir, 'test', 'runs', 'sched1');
    (await import('node:fs')).mkdirSync(runDir, { recursive: true });
    writeFileSync(
      join(runDir, 'run.json'),
      JSON.stringify({
        formatVersion: 1,
        id: 'sched1',
        name: 'queued',
        project: 'test',
        state: 'pending',
        tags: ['q'],
        config: {},
        createdAt: '2026-01-01T00:00:00.000Z',
        notes: '',
        group: null,
        jobType: null,
        metadata: {},
      }),
    );
    const run = await quietInit(dir, { id: 'sched1' });
    expect(run.resumed).toBe(false);
    expect(run.name).toBe('queued');
    expect(run.tags).toEqual(['q']);
    await run.finish();
    expect(readJsonFile(join(runDir, 'run.json'))).toMatchObject({
      state: 'finished',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('t9k vocabulary', () => {
  it('createRun reads a YAML run config whose values win over the arguments', async () => {
    const dir = tempStore();
    const configPath = join(dir, 'run_config.yaml');
    writeFileSync(
      configPath,
      [
        'name: cnn_keras',
        'hparams:',
        '  batch_size: 32',
        '  learning_rate: 0.001',
        'labels:',
        '- Keras',
        'description: Train a simple CNN.',
      ].join('\n'),
    );
    const run = await createRun({
      configPath,
      name: 'ignored',
      hparams: { batch_size: 8 },
      dir,
      settings: { quiet: true, console: false, systemMetrics: false },
    });
    expect(run.name).toBe('cnn_keras');
    expect(run.hparams.toJSON()).toEqual({ batch_size: 32, learning_rate: 0.001 });
    expect(run.labels).toEqual(['Keras']);
    expect(run.description).toBe('Train a simple CNN.');
    await run.finish();
  });

  it('createRun reports an unreadable or malformed config file clearly', async () => {
    const dir = tempStore();
    await expect(createRun({ configPath: join(dir, 'missing.yaml'), dir })).rejects.toThrow(
      /cannot read the run config/,
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: [unclosed');
    await expect(createRun({ configPath: bad, dir })).rejects.toThrow(/not valid YAML/);
  });

  it('logMetrics writes <type>/<metric> keys with the type aliases, and toJSON describes the run', async () => {
    const dir = tempStore();
    const run = await quietInit(dir, { name: 't9k', tags: ['a'], notes: 'desc', config: { lr: 1 } });
    run.logMetrics('training', { loss: 0.5 }, { step: 1, epoch: 0 });
    run.logMetrics('validation', { loss: 0.6 }, { step: 1 });
    run.logMetrics('evaluate', { acc: 0.9 }, { step: 2 });
    run.logMetrics('custom', { x: 1 }, { step: 3 });
    expect(() => run.logMetrics('', { x: 1 })).toThrow(/metric type/);
    const json = run.toJSON();
    expect(json).toMatchObject({
      name: 't9k',
      labels: ['a'],
      description: 'desc',
      hparams: { lr: 1 },
      state: 'running',
    });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    // Each record is a row of its own, on its type's own step axis (t9kConformance.test.ts has the details).
    expect(rows.map(({ _runtime, _timestamp, ...r }) => r)).toEqual([
      { _step: 0, 'train/loss': 0.5, 'train/step': 1, 'train/epoch': 0 },
      { _step: 1, 'val/loss': 0.6, 'val/step': 1 },
      { _step: 2, 'test/acc': 0.9, 'test/step': 2 },
      { _step: 3, 'custom/x': 1, 'custom/step': 3 },
    ]);
  });
});

describe('disabled mode', () => {
  it('validates input but writes nothing', async () => {
    const dir = tempStore();
    const run = await init({ dir, mode: 'disabled', project: 'off', settings: { quiet: true } });
    run.log({ a: 1 });
    expect(() => run.log({ f: () => 1 })).toThrow();
    await run.finish();
    expect((await import('node:fs')).existsSync(join(dir, 'off'))).toBe(false);
  });

  it('keeps nothing queued and reports no write error, however much is logged', async () => {
    const dir = tempStore();
    const run = await init({ dir, mode: 'disabled', project: 'off', settings: { quiet: true, flushBytes: 4096 } });
    // Far past the point where a stream writes synchronously (four flushes' worth queued).
    for (let i = 0; i < 20_000; i++) run.log({ i, text: 'x'.repeat(40) });
    run.markPreempting();
    await run.flush();
    const status = run.status();
    expect(status).toMatchObject({ step: 20_000, rowsWritten: 0, queuedBytes: 0, writeErrors: 0, errors: [] });
    expect(run.summary.get('i')).toBe(19_999);
    await run.finish();
    expect((await import('node:fs')).existsSync(join(dir, 'off'))).toBe(false);
  });
});
