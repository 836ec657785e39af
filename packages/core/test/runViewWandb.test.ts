import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, Artifact, listConsumers } from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { quietInit, readRows, tempStore } from './helpers.js';

// issue 14 item 11: wandb's public-API Run.
const savedUi = process.env.RUNLOG_UI_URL;
afterEach(() => {
  if (savedUi === undefined) delete process.env.RUNLOG_UI_URL;
  else process.env.RUNLOG_UI_URL = savedUi;
});

async function finishedRun() {
  const dir = tempStore();
  const work = tempStore('runlog-work-');
  const run = await quietInit(dir, {
    config: { lr: 0.1 },
    settings: { systemMetrics: true, systemMetricsIntervalMs: 60_000 },
  });
  writeFileSync(join(work, 'a.txt'), 'A');
  writeFileSync(join(work, 'b.png'), 'B');
  await run.save(join(work, '*.txt'), { basePath: work });
  await run.save(join(work, '*.png'), { basePath: work });
  run.log({ loss: 0.5 });
  await run.finish();
  return { dir, work, run, view: await new Api({ dir }).run(`test/${run.id}`) };
}

describe('RunView as wandb public-API Run', () => {
  it('files(names, pattern) filter; file(name).download(root) copies it; uploadFile adds one', async () => {
    const { work, view } = await finishedRun();
    expect((await view.files(['files/a.txt'])).map((f) => f.name)).toEqual(['files/a.txt']);
    expect((await view.files(undefined, 'files/*.png')).map((f) => f.name)).toEqual(['files/b.png']);
    const target = await (await view.file('files/a.txt')).download(join(work, 'out'));
    expect(readFileSync(target, 'utf8')).toBe('A');
    await expect((await view.file('files/a.txt')).download(join(work, 'out'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    writeFileSync(join(work, 'notes.md'), '# notes');
    const uploaded = await view.uploadFile(join(work, 'notes.md'), work);
    expect(uploaded.name).toBe('files/notes.md');
    expect(existsSync(join(view.dir, 'files', 'notes.md'))).toBe(true);
  });

  it('logArtifact and useArtifact on a finished run record the lineage', async () => {
    const { dir, work, view } = await finishedRun();
    const artifact = new Artifact('eval-report', 'report');
    void artifact.addFile(join(work, 'a.txt'));
    const logged = await view.logArtifact(artifact, { aliases: ['best'] });
    expect(logged.qualifiedName).toBe('test/eval-report:v0');
    expect(logged.producer).toEqual({ project: 'test', runId: view.id });
    expect(logged.aliases).toContain('best');
    const consumer = await quietInit(dir);
    await consumer.finish();
    const other = await new Api({ dir }).run(`test/${consumer.id}`);
    await other.useArtifact('eval-report:best', { useAs: 'report' });
    expect((await listConsumers(dir, 'test/eval-report:v0')).map((c) => [c.runId, c.useAs])).toEqual([
      [consumer.id, 'report'],
    ]);
    const records = readRows(join(view.dir, 'artifacts.jsonl'));
    expect(records.map((r) => [r.direction, r.artifact])).toEqual([['logged', 'test/eval-report:v0']]);
    expect((await other.usedArtifacts()).map((a) => a.qualifiedName)).toEqual(['test/eval-report:v0']);
  });

  it('systemMetrics, summaryMetrics, rawConfig, pathParts, url, save/load aliases, toHtml', async () => {
    const { view } = await finishedRun();
    expect(await view.systemMetrics()).toEqual(expect.any(Object));
    expect(view.summaryMetrics.loss).toBe(0.5);
    view.config.lr = 0.2;
    expect(view.rawConfig).toEqual({ lr: 0.1 });
    expect(view.pathParts).toEqual([null, 'test', view.id]);
    delete process.env.RUNLOG_UI_URL;
    expect(view.url).toBeNull();
    expect(view.toHtml()).toContain('<table>');
    expect(view.toHtml()).toContain('loss');
    process.env.RUNLOG_UI_URL = 'http://localhost:6006';
    expect(view.toHtml(300)).toBe(
      `<iframe src="http://localhost:6006/#/r/test/${view.id}" style="border:none;width:100%;height:300px;" title="test/${view.id}"></iframe>`,
    );
    await view.save();
    expect((await view.load(true)).config.lr).toBe(0.2);
    expect(view.rawConfig).toEqual({ lr: 0.2 });
  });

  it("Api.createRun({ state: 'running' }) says that runs start through init()", async () => {
    await expect(
      new Api({ dir: tempStore() }).createRun({ project: 'p', state: 'running' as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('only through init()'),
    });
  });
});
