import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, FilterError, NotFoundError, type RunlogError } from '@runlog/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiStore, hashTree, makeApiStore } from './apiStore.js';

let store: ApiStore;
let api: Api;

beforeAll(async () => {
  store = await makeApiStore();
  api = new Api({ dir: store.dir });
}, 120_000);

const names = async (project: string | undefined, options: Parameters<Api['runs']>[1]) =>
  (await api.runs(project, options).toArray()).map((r) => r.name);

describe('Api.runs: filters and order', () => {
  it('lists projects and every run of a project', async () => {
    expect(await api.projects()).toEqual([
      { name: 'nlp', runCount: 1, artifactCount: 0 },
      { name: 'vision', runCount: 6, artifactCount: 1 },
    ]);
    const all = await names('vision', {});
    expect(all.filter((n) => ['alpha', 'beta', 'broken', 'consumer', 'producer'].includes(n)).sort()).toEqual([
      'alpha',
      'beta',
      'broken',
      'consumer',
      'producer',
    ]);
    expect(all).toHaveLength(6);
    expect((await api.runs().toArray()).map((r) => r.project).sort()).toEqual(['nlp', ...Array(6).fill('vision')]);
  });

  it('filters on state, tags, group, jobType, config and summary values', async () => {
    expect(await names('vision', { filters: { state: 'failed' } })).toEqual(['broken']);
    expect(await names('vision', { filters: { state: 'crashed' } })).toHaveLength(1);
    expect(await names('vision', { filters: { tags: 'baseline' } })).toEqual(['alpha']);
    expect((await names('vision', { filters: { tags: { $in: ['small', 'large'] } } })).sort()).toEqual([
      'alpha',
      'beta',
    ]);
    expect(await names('vision', { filters: { group: 'sweep-1', 'config.model.layers': { $gte: 4 } } })).toEqual([
      'beta',
    ]);
    expect(await names('vision', { filters: { 'config.optimizer': { $regex: '^ad' } } })).toEqual(['alpha']);
    expect(
      await names('vision', { filters: { jobType: { $nin: ['train', 'data', null] }, state: { $ne: 'running' } } }),
    ).toEqual(['broken']);
    expect(await names('vision', { filters: { 'summary.val/acc': { $exists: true } } })).toEqual(['alpha']);
    expect(
      await names('vision', {
        filters: { $or: [{ 'summary.loss': { $gte: 0.03, $lt: 0.05 } }, { name: 'broken' }] },
        order: 'name',
      }),
    ).toEqual(['beta', 'broken']);
    expect(await names('vision', { filters: { $not: { jobType: 'train' }, 'config.lr': 1 } })).toEqual(['broken']);
    expect(await names('vision', { filters: { createdAt: { $gte: new Date(Date.now() + 60_000) } } })).toEqual([]);
    expect(
      await names('nlp', { filters: { createdAt: { $lt: new Date(Date.now() + 60_000).toISOString() } } }),
    ).toEqual(['gamma']);
  });

  it('orders by any field, missing values last, and pages', async () => {
    expect(await names('vision', { filters: { jobType: 'train' }, order: '-summary.loss' })).toEqual(['beta', 'alpha']);
    expect(await names('vision', { filters: { jobType: 'train' }, order: 'config.model.layers' })).toEqual([
      'alpha',
      'beta',
    ]);
    const byLr = await names('vision', { order: ['-config.lr', 'name'] });
    expect(byLr.slice(0, 2)).toEqual(['broken', expect.any(String)]); // lr 1, then the crashed run (0.5)
    expect(byLr.slice(-2)).toEqual(['consumer', 'producer']); // no lr: last, by name
    const pages: number[] = [];
    for await (const page of api.runs('vision', { perPage: 4 }).pages()) pages.push(page.length);
    expect(pages).toEqual([4, 2]);
    const newestFirst = await api.runs('vision').toArray();
    expect(newestFirst.map((r) => r.createdAt)).toEqual([...newestFirst.map((r) => r.createdAt)].sort().reverse());
  });

  it('rejects filters with unknown fields or wrong types at the call, with FILTER_INVALID', () => {
    const bad: unknown[] = [
      { colour: 'red' },
      { state: 'runing' },
      { state: 5 },
      { tags: { $gt: 'a' } },
      { 'summary.loss': { $in: 0.1 } },
      { 'summary.loss': { $between: [0, 1] } },
      { name: { $regex: '(' } },
      { 'config.lr': { $exists: 'yes' } },
      { createdAt: { $gt: 'last tuesday' } },
      { $and: {} },
      { $nor: [] },
      { 'config.lr': { $gt: 0.1, plain: 1 } },
      { runtime: { $lt: '10' } },
      'state=finished',
    ];
    for (const filters of bad) {
      let error: unknown;
      try {
        api.runs('vision', { filters: filters as never });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(filters)).toBeInstanceOf(FilterError);
      expect((error as RunlogError).code).toBe('FILTER_INVALID');
      expect((error as Error).message.length).toBeGreaterThan(15);
    }
    expect(() => api.runs('vision', { order: '-colour' })).toThrow(/unknown field "colour"/);
    expect(() => api.runs('vision', { order: '' })).toThrow(FilterError);
  });
});

describe('Api.run: the run view', () => {
  it('has identity, state, config, summary, metadata and lastHistoryStep', async () => {
    const run = await api.run(`vision/${store.ids.alpha}`);
    expect(run).toMatchObject({
      id: store.ids.alpha,
      name: 'alpha',
      project: 'vision',
      path: `vision/${store.ids.alpha}`,
      state: 'finished',
      tags: ['baseline', 'small'],
      notes: 'first try',
      group: 'sweep-1',
      jobType: 'train',
      lastHistoryStep: 199,
      exitCode: 0,
    });
    expect(run.config).toEqual({ lr: 0.1, model: { layers: 3 }, optimizer: 'adam' });
    expect(run.summary.loss).toBeCloseTo(0.01);
    expect(run.metadata.node).toBe(process.version);
    expect(Date.parse(run.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(run.runtime).toBeGreaterThan(0);
    const failed = await api.run(`vision/${store.ids.failed}`);
    expect([failed.state, failed.exitCode, failed.summary.loss]).toEqual(['failed', 1, Number.POSITIVE_INFINITY]);
  });

  it('reads a run killed with SIGKILL as crashed while run.json still says running', async () => {
    const run = await api.run(`vision/${store.ids.crashed}`);
    expect(run.storedState).toBe('running');
    expect(run.state).toBe('crashed');
    expect(run.lastHistoryStep).toBeGreaterThanOrEqual(49);
  });

  it('lists files and refuses names outside the run folder', async () => {
    const run = await api.run(`vision/${store.ids.alpha}`);
    const files = await run.files();
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['history.jsonl', 'run.json', 'summary.json']));
    const history = await run.file('history.jsonl');
    expect(history.size).toBeGreaterThan(1000);
    await expect(run.file('../../../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(run.file('nope.txt')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('knows the artifacts a run logged and used', async () => {
    const producer = await api.run(`vision/${store.ids.artifacts}`);
    const logged = await producer.loggedArtifacts();
    expect(logged.map((a) => a.qualifiedName)).toEqual(['vision/digits:v0']);
    const consumer = (await api.runs('vision', { filters: { name: 'consumer' } }).toArray())[0];
    expect((await consumer.usedArtifacts()).map((a) => a.qualifiedName)).toEqual(['vision/digits:v0']);
    expect(await consumer.loggedArtifacts()).toEqual([]);
    expect((await api.artifact('vision/digits:best')).files().map((f) => f.path)).toEqual(['train.csv']);
    expect((await api.artifactVersions('vision/digits')).map((v) => [v.version, v.aliases.sort()])).toEqual([
      [0, ['best', 'latest']],
    ]);
  });
});

describe('bad input', () => {
  it('unknown project or run: NotFoundError RUN_NOT_FOUND with a message naming what exists', async () => {
    await expect(api.run('nope/abc')).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      message: expect.stringMatching(/projects: nlp, vision/),
    });
    await expect(api.run('vision/abc')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(api.runs('nope').toArray()).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.run('vision')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(api.run('../x/y')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a run folder without run.json is reported, skipped by listings, and nothing crashes', async () => {
    const copy = `${store.dir}-norunjson`;
    cpSync(store.dir, copy, { recursive: true });
    rmSync(join(copy, 'vision', 'runs', store.ids.beta, 'run.json'));
    writeFileSync(join(copy, 'vision', 'runs', store.ids.failed, 'run.json'), '{"id": "half-writ');
    const damaged = new Api({ dir: copy });
    await expect(damaged.run(`vision/${store.ids.beta}`)).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      message: expect.stringMatching(/incomplete: .*run\.json is missing/),
    });
    await expect(damaged.run(`vision/${store.ids.failed}`)).rejects.toMatchObject({ code: 'STORAGE' });
    const list = damaged.runs('vision');
    const runs = await list.toArray();
    expect(runs).toHaveLength(4);
    expect(list.skipped.map((s) => s.path).sort()).toEqual(
      [`vision/${store.ids.beta}`, `vision/${store.ids.failed}`].sort(),
    );
  });

  it('a torn last history line and a damaged middle line are skipped', async () => {
    const copy = `${store.dir}-torn`;
    cpSync(store.dir, copy, { recursive: true });
    const history = join(copy, 'vision', 'runs', store.ids.beta, 'history.jsonl');
    const lines = (await import('node:fs')).readFileSync(history, 'utf8').split('\n');
    lines[10] = '{"_step":10,"loss":';
    writeFileSync(history, `${lines.join('\n')}{"_step":30,"loss":0.`);
    const run = await new Api({ dir: copy }).run(`vision/${store.ids.beta}`);
    expect(run.lastHistoryStep).toBe(29);
    const scan = run.scanHistory();
    const rows = await scan.toArray();
    expect(rows.map((r) => r._step)).toEqual([...Array(30).keys()].filter((s) => s !== 10));
    expect(scan.skippedLines).toBe(1);
    expect((await run.history({ samples: 5 })).at(-1)?._step).toBe(29);
  });

  it('reads never change anything on disk', async () => {
    const before = hashTree(store.dir);
    const everything = await api
      .runs(undefined, { filters: { state: { $ne: 'pending' } }, order: '-summary.loss' })
      .toArray();
    for (const run of everything) {
      await run.history({ samples: 20 });
      await run.history({ stream: 'system' });
      await run.scanHistory({ pageSize: 7 }).toArray();
      await run.files();
      await run.loggedArtifacts();
      await run.usedArtifacts();
      await run.reload();
      await run.history({ keys: ['not-a-metric'] }).catch(() => undefined);
    }
    await api.projects();
    await api.run('nope/x').catch(() => undefined);
    await api.artifact('vision/digits:latest');
    await api.artifactVersions('vision/digits');
    expect(hashTree(store.dir)).toBe(before);
  });
});
