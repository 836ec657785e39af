import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Artifact,
  ArtifactStore,
  type ArtifactStore as ArtifactStoreType,
  init,
  listConsumers,
  type Run,
  readRunArtifacts,
  resolveArtifact,
} from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFixture } from './artifacts/storeFixture.js';

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

const code = (c: string) => expect.objectContaining({ code: c });

describe('artifacts through a run', () => {
  it('logs and uses versions with lineage in both directions', async () => {
    fixture = makeFixture();
    fixture.write('data/train.csv', 'x,y\n1,2\n');
    fixture.write('data/test.csv', 'x,y\n3,4\n');
    const producer = await start();
    const events: unknown[] = [];
    producer.on('artifact', (e) => events.push(e));
    const logged = await producer.logArtifact(fixture.path('data'), {
      name: 'tabular',
      type: 'dataset',
      aliases: ['best'],
    });
    expect(logged.qualifiedName).toBe('proj/tabular:v0');
    expect(events).toEqual([{ direction: 'logged', artifact: 'proj/tabular:v0', type: 'dataset' }]);
    await producer.finish();

    const consumer = await start();
    const used = await consumer.useArtifact('tabular:best', { type: 'dataset', useAs: 'training data' });
    expect(used.producer).toEqual({ project: 'proj', runId: producer.id });
    const folder = await used.download(fixture.path('dl'));
    expect(readFileSync(join(folder, 'train.csv'), 'utf8')).toBe('x,y\n1,2\n');
    await expect(consumer.useArtifact('proj/tabular:latest', { type: 'model' })).rejects.toEqual(
      code('ARTIFACT_TYPE_MISMATCH'),
    );
    await expect(consumer.useArtifact('tabular:nope')).rejects.toEqual(code('ARTIFACT_NOT_FOUND'));
    const tagged = await consumer.useArtifact('tabular:v0', { aliases: ['audited'] });
    expect(tagged.aliases).toEqual(['latest', 'audited', 'best']);
    const remote = await consumer.logArtifact('s3://bucket/tables/train.parquet', { type: 'dataset' });
    expect(remote.name).toBe(`run-${consumer.id}-train.parquet`);
    expect(remote.files()).toEqual([
      { path: 'train.parquet', digest: null, size: null, ref: 's3://bucket/tables/train.parquet' },
    ]);
    await consumer.finish();

    expect(await readRunArtifacts(producer.dir)).toMatchObject([
      { direction: 'logged', artifact: 'proj/tabular:v0', type: 'dataset', digest: logged.digest },
    ]);
    expect(await readRunArtifacts(consumer.dir)).toMatchObject([
      { direction: 'used', artifact: 'proj/tabular:v0', useAs: 'training data' },
      { direction: 'used', artifact: 'proj/tabular:v0' },
      { direction: 'logged', artifact: `proj/run-${consumer.id}-train.parquet:v0` },
    ]);
    expect(await listConsumers(fixture.storeDir, 'proj/tabular:v0')).toMatchObject([
      { project: 'proj', runId: consumer.id, useAs: 'training data' },
      { project: 'proj', runId: consumer.id, useAs: null },
    ]);
  });

  it("markOutput/markInput (t9k's names) and finish() waits for an artifact nobody awaited", async () => {
    fixture = makeFixture();
    const run = await start();
    const a = new Artifact('preds', 'predictions');
    a.newFile('preds.jsonl').end('{"id":1}\n');
    void run.markOutput(a);
    // a failing call nobody awaits must not crash the process either
    void run.logArtifact(fixture.path('missing-folder'));
    await run.finish();
    expect(a.version).toBe('v0');
    const other = await start();
    const input = await other.markInput('preds:latest');
    expect(readFileSync(await input.file(), 'utf8')).toBe('{"id":1}\n');
    // marking a version that exists as an output records lineage and aliases without a new version
    const again = await other.markOutput(input, { aliases: ['reviewed'] });
    expect(again.version).toBe('v0');
    expect(again.aliases).toEqual(['latest', 'reviewed']);
    expect((await readRunArtifacts(other.dir)).map((r) => r.direction)).toEqual(['used', 'logged']);
  });

  it('trackBackground: flush, useModel and finish wait for work that logs a version later', async () => {
    fixture = makeFixture();
    fixture.write('model/weights.bin', 'w1');
    const run = await start();
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // a checkpoint written in the background while training goes on (what tfjs's ModelCheckpoint does)
    run.trackBackground(
      later(50).then(() => run.logModel(fixture.path('model'), { name: 'ckpt', aliases: ['best'] })),
      'checkpoint',
    );
    expect(await run.useModel('ckpt:best')).toContain('ckpt'); // waited for the version, did not fail
    fixture.write('model/weights.bin', 'w2');
    let logged = false;
    run.trackBackground(
      later(50)
        .then(() => run.logModel(fixture.path('model'), { name: 'ckpt' }))
        .then(() => {
          logged = true;
        }),
      'checkpoint',
    );
    await run.flush();
    expect(logged).toBe(true);
    // a failure is reported on the run, not thrown; finish still waits for (and keeps) work started meanwhile
    run.trackBackground(Promise.reject(new Error('disk on fire')), 'checkpoint');
    run.trackBackground(
      later(30).then(() => run.logModel(fixture.path('model'), { name: 'late' })),
      'checkpoint',
    );
    await run.finish();
    expect(run.status().errors.map((e) => e.message)).toContain('disk on fire');
    expect(existsSync(join(fixture.storeDir, 'proj', 'artifacts', 'late'))).toBe(true);
  });
  it('logModel, useModel and the model registry', async () => {
    fixture = makeFixture();
    const weights = fixture.write('model/weights.bin', Buffer.alloc(1000, 3));
    fixture.write('model/model.json', '{"layers":2}');
    const run = await start();
    const model = await run.logModel(fixture.path('model'));
    expect(model.name).toBe(`run-${run.id}-model`);
    expect(model.type).toBe('model');
    const path = await run.useModel(`${model.name}:latest`);
    expect(readFileSync(join(path, 'weights.bin'))).toEqual(readFileSync(weights));

    await run.logArtifact(fixture.path('model'), { name: 'not-a-model', type: 'dataset' });
    await expect(run.useModel('not-a-model:latest')).rejects.toEqual(code('ARTIFACT_TYPE_MISMATCH'));
    await expect(run.logModel(fixture.path('model'), { name: 'not-a-model' })).rejects.toEqual(
      code('ARTIFACT_TYPE_MISMATCH'),
    );
    await expect(run.logModel(fixture.path('model'), { name: 'bad/name' })).rejects.toEqual(code('ARTIFACT_INVALID'));

    const linked = await run.linkModel(fixture.path('model'), 'digit-classifier', {
      name: 'cnn',
      aliases: ['production'],
    });
    expect(linked.qualifiedName).toBe('model-registry/digit-classifier:v0');
    expect(linked.aliases).toEqual(['latest', 'production']);
    const registry = await resolveArtifact(fixture.storeDir, 'model-registry/digit-classifier:production');
    const source = await resolveArtifact(fixture.storeDir, 'proj/cnn:latest');
    expect(registry.digest).toBe(source.digest);
    const store: ArtifactStoreType = new ArtifactStore(fixture.storeDir);
    const [record] = await store.listVersions('model-registry', 'digit-classifier');
    expect(record.linkedFrom).toBe('proj/cnn:v0');
    // the same files again: the same model version and the same registry version
    const again = await run.linkModel(fixture.path('model'), 'digit-classifier', { name: 'cnn' });
    expect(again.version).toBe('v0');
    await expect(run.linkModel(fixture.path('model'), 'team/digit-classifier')).rejects.toEqual(
      code('ARTIFACT_INVALID'),
    );

    const portfolio = await run.linkArtifact(source, 'best-models', { aliases: ['champion'] });
    expect(portfolio.qualifiedName).toBe('proj/best-models:v0');
    expect(existsSync(await portfolio.file('model.json'))).toBe(true);
  });

  it('upsertArtifact/finishArtifact build one version from several runs of a group', async () => {
    fixture = makeFixture();
    const workers = [await start({ group: 'g' }), await start({ group: 'g' }), await start({ group: 'g' })];
    for (const [i, worker] of workers.entries()) {
      const part = new Artifact('shards', 'dataset');
      part.newFile(`shard-${i}.txt`).end(`rows of shard ${i}`);
      if (i < 2) {
        const draft = await worker.upsertArtifact(part, { distributedId: 'epoch-1' });
        expect(draft.isLogged).toBe(false);
      } else {
        const done = await worker.finishArtifact(part, { distributedId: 'epoch-1', aliases: ['complete'] });
        expect(done.version).toBe('v0');
        expect(Object.keys(done.manifest.entries)).toEqual(['shard-0.txt', 'shard-1.txt', 'shard-2.txt']);
      }
    }
    const store = new ArtifactStore(fixture.storeDir);
    const [v0] = await store.listVersions('proj', 'shards');
    expect(v0.contributors?.map((c) => c.runId).sort()).toEqual(workers.map((w) => w.id).sort());
    expect(v0.producer?.runId).toBe(workers[2].id);
    expect(v0.aliases).toEqual(['latest', 'complete']);
    expect(existsSync(join(fixture.storeDir, 'proj', 'artifacts', 'shards', 'drafts', 'epoch-1'))).toBe(false);

    // the same id after finishing starts the next version; conflicting parts are refused and kept
    const a = new Artifact('shards', 'dataset');
    a.newFile('shard-0.txt').end('different rows');
    await workers[0].upsertArtifact(a, { distributedId: 'epoch-1' });
    const b = new Artifact('shards', 'dataset');
    b.newFile('shard-0.txt').end('other rows');
    await expect(workers[1].finishArtifact(b, { distributedId: 'epoch-1' })).rejects.toEqual(code('ARTIFACT_INVALID'));
    const c = new Artifact('shards', 'dataset');
    c.newFile('shard-9.txt').end('nine');
    await expect(workers[1].upsertArtifact(c, { distributedId: '../escape' })).rejects.toEqual(
      code('ARTIFACT_INVALID'),
    );
    const d = new Artifact('shards', 'dataset');
    d.newFile('shard-0.txt').end('different rows');
    const v1 = await workers[2].finishArtifact(d, { distributedId: 'epoch-2' });
    expect(v1.version).toBe('v1');
  });

  it('logCode snapshots source files, skipping node_modules and the store', async () => {
    fixture = makeFixture();
    fixture.write('proj/src/train.ts', 'export const x = 1;\n');
    fixture.write('proj/package.json', '{"name":"p"}');
    fixture.write('proj/README.md', '# no');
    fixture.write('proj/node_modules/dep/index.js', 'module.exports = 1;');
    const run = await start();
    const code1 = await run.logCode(fixture.path('proj'), { name: 'source' });
    expect(code1?.type).toBe('code');
    expect(code1?.files().map((f) => f.path)).toEqual(['package.json', 'src/train.ts']);
    const md = await run.logCode(fixture.path('proj'), { include: ['**/*.md'], name: 'docs' });
    expect(md?.files().map((f) => f.path)).toEqual(['README.md']);
    const none = await run.logCode(fixture.path('proj'), { include: (p) => p.endsWith('.py') });
    expect(none).toBeUndefined();
    const excluded = await run.logCode(fixture.path('proj'), { exclude: ['src/**'], name: 'no-src' });
    expect(excluded?.files().map((f) => f.path)).toEqual(['package.json']);
  });
});
