import { Artifact, init, type Run } from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFixture } from './artifacts/storeFixture.js';

// issue 14 items 2 and 7: adds that were not awaited (wandb's add_dir/add_file are synchronous), and the
// distributed id defaulting to the run's group.
let fixture: ReturnType<typeof makeFixture>;
const runs: Run[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) if (run.state === 'running') await run.finish();
  fixture?.cleanup();
});

async function start(options: { group?: string } = {}): Promise<Run> {
  const run = await init({
    project: 'proj',
    dir: fixture.storeDir,
    ...options,
    settings: { systemMetrics: false, console: false, quiet: true, processHooks: false },
  });
  runs.push(run);
  return run;
}

describe('adds that were not awaited', () => {
  it('logArtifact waits for every pending addDir/addFile/addReference', async () => {
    fixture = makeFixture();
    for (let i = 0; i < 50; i++) fixture.write(`data/part-${i}.txt`, `row ${i}\n`);
    fixture.write('labels.csv', 'id,label\n');
    fixture.write('ref.txt', 'referenced');
    const run = await start();
    const artifact = new Artifact('dataset', 'dataset');
    void artifact.addDir(fixture.path('data'), { name: 'data' });
    void artifact.addFile(fixture.path('labels.csv'));
    void artifact.addReference(`file://${fixture.path('ref.txt')}`);
    const logged = await run.logArtifact(artifact);
    const names = logged.files().map((f) => f.path);
    expect(names).toHaveLength(52);
    expect(names).toContain('labels.csv');
    expect(names).toContain('ref.txt');
    expect(names).toContain('data/part-49.txt');
  });

  it('a failed add fails logArtifact with its error and logs nothing', async () => {
    fixture = makeFixture();
    fixture.write('ok.txt', 'ok');
    const run = await start();
    const artifact = new Artifact('broken', 'dataset');
    void artifact.addFile(fixture.path('ok.txt'));
    void artifact.addFile(fixture.path('missing.txt'));
    await expect(run.logArtifact(artifact)).rejects.toMatchObject({
      code: 'ARTIFACT_INVALID',
      message: expect.stringContaining('missing.txt'),
    });
    expect(artifact.isLogged).toBe(false);
    await expect(run.useArtifact('broken')).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
  });

  it('download() of a draft whose logArtifact was not awaited waits for it; adds meanwhile are refused', async () => {
    fixture = makeFixture();
    fixture.write('a.txt', 'a');
    fixture.write('b.txt', 'b');
    const run = await start();
    const artifact = new Artifact('model', 'model');
    void artifact.addFile(fixture.path('a.txt'));
    const logging = run.logArtifact(artifact);
    await expect(artifact.addFile(fixture.path('b.txt'))).rejects.toMatchObject({ code: 'ARTIFACT_INVALID' });
    const root = await artifact.download(fixture.path('out'));
    expect(root).toBe(fixture.path('out'));
    expect((await logging).files().map((f) => f.path)).toEqual(['a.txt']);
  });

  it('useArtifact and upsert/finishArtifact of a draft wait for its adds too', async () => {
    fixture = makeFixture();
    fixture.write('in/x.txt', 'x');
    fixture.write('shard.txt', 's');
    const run = await start({ group: 'g' });
    const input = new Artifact('inputs', 'dataset');
    void input.addDir(fixture.path('in'));
    expect((await run.useArtifact(input)).files().map((f) => f.path)).toEqual(['x.txt']);
    const part = new Artifact('shards', 'dataset');
    void part.addFile(fixture.path('shard.txt'));
    const done = await run.finishArtifact(part);
    expect(done.files().map((f) => f.path)).toEqual(['shard.txt']);
  });
});

describe('distributed artifacts default to the run group (wandb)', () => {
  it('upsertArtifact and finishArtifact without distributedId share the group', async () => {
    fixture = makeFixture();
    const workers = [await start({ group: 'train job 7' }), await start({ group: 'train job 7' })];
    const first = new Artifact('shards', 'dataset');
    first.newFile('shard-0.txt').end('0');
    await workers[0].upsertArtifact(first);
    const second = new Artifact('shards', 'dataset');
    second.newFile('shard-1.txt').end('1');
    const done = await workers[1].finishArtifact(second);
    expect(done.files().map((f) => f.path)).toEqual(['shard-0.txt', 'shard-1.txt']);
  });

  it('without a group and without distributedId it is an ARTIFACT_INVALID error that says what to pass', async () => {
    fixture = makeFixture();
    const run = await start();
    const part = new Artifact('shards', 'dataset');
    part.newFile('s.txt').end('s');
    await expect(run.upsertArtifact(part)).rejects.toMatchObject({
      code: 'ARTIFACT_INVALID',
      message: expect.stringContaining('distributedId'),
    });
  });
});
