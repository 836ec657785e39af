import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, init, StateTransitionError } from '@runlog/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { crashedRun } from './apiStore.js';
import { tempStore } from './helpers.js';

const quiet = { quiet: true, console: false, systemMetrics: false } as const;
let dir: string;
let api: Api;

beforeAll(() => {
  dir = tempStore('runlog-api-write-');
  api = new Api({ dir });
});

describe('createRun(): pending runs a scheduler starts later', () => {
  it('writes a pending run.json that init() picks up', async () => {
    const pending = await api.createRun({
      project: 'sched',
      id: 'job-1',
      config: { lr: 0.3 },
      tags: ['queued'],
      group: 'g',
    });
    expect(pending).toMatchObject({
      state: 'pending',
      id: 'job-1',
      name: 'job-1',
      lastHistoryStep: -1,
      tags: ['queued'],
    });
    const doc = JSON.parse(readFileSync(join(dir, 'sched', 'runs', 'job-1', 'run.json'), 'utf8'));
    expect(doc).toMatchObject({
      formatVersion: 1,
      state: 'pending',
      startedAt: null,
      pid: null,
      resumeCount: 0,
      config: { lr: 0.3 },
    });
    await expect(api.createRun({ project: 'sched', id: 'job-1' })).rejects.toMatchObject({ code: 'RUN_EXISTS' });
    await expect(api.createRun({ project: 'sched', state: 'running' as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(api.createRun({ project: '../x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

    const run = await init({ dir, project: 'sched', id: 'job-1', settings: quiet });
    expect(run.config.get('lr')).toBe(0.3);
    run.log({ loss: 1 });
    await run.finish();
    const started = await api.run('sched/job-1');
    expect(started).toMatchObject({
      state: 'finished',
      tags: ['queued'],
      group: 'g',
      resumeCount: 0,
      lastHistoryStep: 0,
    });
    expect(started.createdAt).toBe(pending.createdAt);
  });
});

describe('update(): edits written back atomically', () => {
  it('writes name, tags, notes, config and summary; a resumed run keeps the hand-set summary', async () => {
    const run = await init({ dir, project: 'edit', config: { lr: 0.1 }, settings: quiet });
    run.log({ loss: 0.5, acc: 0.7 });
    await run.finish();
    const view = await api.run(run.path);
    view.name = 'renamed';
    view.tags.push('best');
    view.notes = 'edited by hand';
    view.config.lr = 0.2;
    view.summary.acc = 0.99;
    await view.update();
    const again = await api.run(run.path);
    expect(again).toMatchObject({ name: 'renamed', tags: ['best'], notes: 'edited by hand', state: 'finished' });
    expect(again.config.lr).toBe(0.2);
    expect(again.summary).toMatchObject({ acc: 0.99, loss: 0.5 });
    const folder = readFileSync(join(dir, 'edit', 'runs', run.id, 'run.json'), 'utf8');
    expect(JSON.parse(folder).exitCode).toBe(0); // fields update() does not own are kept

    const resumed = await init({ dir, project: 'edit', id: run.id, resume: 'allow', settings: quiet });
    resumed.log({ acc: 0.1, loss: 0.4 });
    await resumed.finish();
    expect((await api.run(run.path)).summary).toMatchObject({ acc: 0.99, loss: 0.4 });
  });

  it('refuses edits that cannot be stored, writing nothing', async () => {
    const run = await init({ dir, project: 'edit', settings: quiet });
    await run.finish();
    const view = await api.run(run.path);
    const before = readFileSync(join(view.dir, 'run.json'), 'utf8');
    view.tags = [1 as never];
    await expect(view.update()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/tags/),
    });
    view.tags = [];
    view.name = '';
    await expect(view.update()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(readFileSync(join(view.dir, 'run.json'), 'utf8')).toBe(before);
  });
});

describe('updateState(): the allowed transitions', () => {
  it('requeues a crashed run to pending, then marks it failed; refuses the rest', async () => {
    await crashedRun(dir, 'states', 'crash1');
    const crashed = await api.run('states/crash1');
    expect(crashed.state).toBe('crashed');
    await expect(crashed.updateState('failed')).rejects.toBeInstanceOf(StateTransitionError);
    await crashed.updateState('pending');
    expect((await api.run('states/crash1')).state).toBe('pending');
    await crashed.updateState('failed');
    const failed = await api.run('states/crash1');
    expect(failed.state).toBe('failed');
    expect(failed.finishedAt).not.toBeNull();
    await failed.updateState('pending');
    // pending from pending, anything to finished: refused with STATE_TRANSITION
    await expect(failed.updateState('pending')).rejects.toMatchObject({ code: 'STATE_TRANSITION' });
    await expect(failed.updateState('finished' as never)).rejects.toMatchObject({ code: 'STATE_TRANSITION' });
    const done = await init({ dir, project: 'states', settings: quiet });
    await done.finish();
    await expect((await api.run(done.path)).updateState('pending')).rejects.toMatchObject({
      code: 'STATE_TRANSITION',
      message: expect.stringMatching(
        /is finished: it can become pending only from running, failed, crashed, preempting/,
      ),
    });
  }, 30_000);

  it('a requeued run is resumed by init()', async () => {
    const view = await api.run('states/crash1');
    expect(view.state).toBe('pending');
    const run = await init({ dir, project: 'states', id: 'crash1', resume: 'allow', settings: quiet });
    expect(run.step).toBe(view.lastHistoryStep + 1);
    await run.finish();
    expect((await api.run('states/crash1')).state).toBe('finished');
  });
});

describe('delete()', () => {
  it('removes the run, and with deleteArtifacts the versions it logged (not the ones it used)', async () => {
    const data = join(dir, 'data');
    (await import('node:fs')).mkdirSync(data, { recursive: true });
    (await import('node:fs')).writeFileSync(join(data, 'a.txt'), 'a');
    const first = await init({ dir, project: 'del', settings: quiet });
    await first.logArtifact(data, { name: 'ds', type: 'dataset' });
    await first.finish();
    (await import('node:fs')).writeFileSync(join(data, 'a.txt'), 'b');
    const second = await init({ dir, project: 'del', settings: quiet });
    await second.useArtifact('ds:v0');
    await second.logArtifact(data, { name: 'ds', type: 'dataset', aliases: ['best'] });
    await second.finish();
    expect((await api.artifactVersions('del/ds')).map((v) => v.version)).toEqual([0, 1]);

    await (await api.run(second.path)).delete({ deleteArtifacts: true });
    expect(existsSync(join(dir, 'del', 'runs', second.id))).toBe(false);
    const versions = await api.artifactVersions('del/ds');
    expect(versions.map((v) => [v.version, v.aliases])).toEqual([[0, ['latest']]]);
    await expect(api.artifact('del/ds:best')).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });

    await (await api.run(first.path)).delete();
    await expect(api.run(first.path)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    expect((await api.artifactVersions('del/ds')).length).toBe(1); // kept without deleteArtifacts
  });

  it('refuses to delete a live run unless forced', async () => {
    const live = await init({ dir, project: 'del', settings: quiet });
    const view = await api.run(live.path);
    expect(view.state).toBe('running');
    await expect(view.delete()).rejects.toMatchObject({ code: 'STATE_TRANSITION' });
    await live.finish();
    await view.delete();
    expect(existsSync(view.dir)).toBe(false);
  });
});
