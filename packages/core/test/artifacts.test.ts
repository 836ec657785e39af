import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Artifact,
  ArtifactStore,
  collectGarbage,
  computeManifestDigest,
  listCollections,
  listVersions,
  resolveArtifact,
} from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFixture } from './artifacts/storeFixture.js';

let fixture: ReturnType<typeof makeFixture>;
afterEach(() => fixture?.cleanup());

async function dataset(files: Record<string, string>, name = 'ds') {
  const artifact = new Artifact(name, 'dataset');
  for (const [entry, content] of Object.entries(files))
    await artifact.addFile(fixture.write(`in/${entry}`, content), { name: entry });
  return artifact;
}

function objectCount(storeDir: string): number {
  const root = join(storeDir, 'objects', 'sha256');
  if (!existsSync(root)) return 0;
  return readdirSync(root).reduce((n, d) => n + readdirSync(join(root, d)).length, 0);
}

describe('logging versions', () => {
  it('makes v0, writes the documented files, dedupes objects and the digest matches the manifest', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const a = await dataset({ 'a.txt': 'alpha', 'b/c.txt': 'gamma', 'dup.txt': 'alpha' });
    const result = await store.logArtifact(a, {
      project: 'p',
      aliases: ['best'],
      producer: { project: 'p', runId: 'r1' },
    });
    expect(result.created).toBe(true);
    expect(a.version).toBe('v0');
    expect(a.qualifiedName).toBe('p/ds:v0');
    expect(a.aliases).toEqual(['latest', 'best']);

    const dir = join(fixture.storeDir, 'p', 'artifacts', 'ds');
    const manifest = JSON.parse(readFileSync(join(dir, 'versions', 'v0', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.entries)).toEqual(['a.txt', 'b/c.txt', 'dup.txt']);
    expect(manifest.entries['a.txt']).toEqual({
      digest: '8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8',
      size: 5,
      ref: null,
    });
    const version = JSON.parse(readFileSync(join(dir, 'versions', 'v0', 'version.json'), 'utf8'));
    expect(version).toMatchObject({ version: 0, type: 'dataset', size: 15, fileCount: 3, producer: { runId: 'r1' } });
    expect(version.digest).toBe(computeManifestDigest(manifest));
    expect(JSON.parse(readFileSync(join(dir, 'aliases.json'), 'utf8'))).toEqual({ best: 0, latest: 0 });
    expect(JSON.parse(readFileSync(join(dir, 'collection.json'), 'utf8'))).toMatchObject({
      name: 'ds',
      type: 'dataset',
    });
    // 'alpha' twice is stored once
    expect(objectCount(fixture.storeDir)).toBe(2);
    const object = join(
      fixture.storeDir,
      'objects',
      'sha256',
      '8e',
      'd3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8',
    );
    expect(readFileSync(object, 'utf8')).toBe('alpha');
    expect(statSync(object).mode & 0o222).toBe(0); // objects are read-only
  });

  it('re-logging equal content returns the existing version and moves aliases; latest stays on the newest', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    await store.logArtifact(await dataset({ 'x.txt': 'one' }), { project: 'p', producer: null });
    const v1 = await dataset({ 'x.txt': 'two' });
    await store.logArtifact(v1, { project: 'p', aliases: ['best'], producer: null });
    expect(v1.version).toBe('v1');
    const again = await dataset({ 'x.txt': 'one' });
    const result = await store.logArtifact(again, { project: 'p', aliases: ['best', 'latest'], producer: null });
    expect(result.created).toBe(false);
    expect(again.version).toBe('v0');
    expect(again.aliases).toEqual(['best']);
    const versions = await listVersions(fixture.storeDir, 'p', 'ds');
    expect(versions.map((v) => [v.version, v.aliases])).toEqual([
      [0, ['best']],
      [1, ['latest']],
    ]);
    expect((await resolveArtifact(fixture.storeDir, 'p/ds:latest')).version).toBe('v1');
    expect((await resolveArtifact(fixture.storeDir, 'p/ds:best')).version).toBe('v0');
    expect((await resolveArtifact(fixture.storeDir, `p/ds:${versions[1].digest}`)).version).toBe('v1');
    expect((await store.resolve('ds', 'p')).version).toBe('v1');
    const collections = await listCollections(fixture.storeDir);
    expect(collections).toMatchObject([{ project: 'p', name: 'ds', versionCount: 2, aliases: { best: 0, latest: 1 } }]);
  });

  it('never reuses a version number, even after the newest version was deleted', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    await store.logArtifact(await dataset({ 'x.txt': 'zero' }), { project: 'p', producer: null });
    await store.logArtifact(await dataset({ 'x.txt': 'one' }), { project: 'p', producer: null });
    const { rmSync } = await import('node:fs');
    rmSync(join(fixture.storeDir, 'p', 'artifacts', 'ds', 'versions', 'v1'), { recursive: true });
    const next = await dataset({ 'x.txt': 'two' });
    await store.logArtifact(next, { project: 'p', producer: null });
    expect(next.version).toBe('v2');
    const collection = JSON.parse(
      readFileSync(join(fixture.storeDir, 'p', 'artifacts', 'ds', 'collection.json'), 'utf8'),
    );
    expect(collection.lastVersion).toBe(2);
  });

  it('newFile, addDir with a prefix, remove and file:// / http / s3 references', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    fixture.write('tree/one.txt', '1');
    fixture.write('tree/deep/two.txt', '22');
    const ref = fixture.write('big/ref.bin', 'referenced bytes');
    const a = new Artifact('mixed', 'dataset', { metadata: { rows: 3 } });
    await a.addDir(fixture.path('tree'), { name: 'data' });
    a.newFile('notes/readme.md').end('# hi\n');
    await a.addReference(pathToFileURL(ref).href);
    await a.addReference('https://example.com/files/weights.bin');
    await a.addReference('s3://bucket/key/shard-0.parquet', { name: 'shards/0.parquet' });
    a.remove('data/deep');
    expect(Object.keys(a.manifest.entries).sort()).toEqual([
      'data/one.txt',
      'notes/readme.md',
      'ref.bin',
      'shards/0.parquet',
      'weights.bin',
    ]);
    await store.logArtifact(a, { project: 'p', producer: null });
    const files = Object.fromEntries(a.files().map((f) => [f.path, f]));
    expect(files['ref.bin']).toMatchObject({ size: 16, ref: pathToFileURL(ref).href });
    expect(files['ref.bin'].digest).toMatch(/^[0-9a-f]{64}$/);
    expect(files['weights.bin']).toEqual({
      path: 'weights.bin',
      digest: null,
      size: null,
      ref: 'https://example.com/files/weights.bin',
    });
    expect(files['shards/0.parquet'].ref).toBe('s3://bucket/key/shard-0.parquet');
    expect(a.metadata).toEqual({ rows: 3 });

    const root = await a.download(fixture.path('out'));
    expect(readFileSync(join(root, 'data', 'one.txt'), 'utf8')).toBe('1');
    expect(readFileSync(join(root, 'notes', 'readme.md'), 'utf8')).toBe('# hi\n');
    expect(readFileSync(join(root, 'ref.bin'), 'utf8')).toBe('referenced bytes');
    expect(existsSync(join(root, 'weights.bin'))).toBe(false); // remote references are never fetched
    await a.verify(root);
    // the reference is read in place: changing it afterwards is caught
    writeFileSync(ref, 'referenced bytez');
    await expect(a.verify()).rejects.toMatchObject({
      code: 'INTEGRITY',
      problems: [{ path: 'ref.bin', reason: 'digest' }],
    });
    await expect(a.file('weights.bin')).rejects.toMatchObject({ code: 'ARTIFACT_INVALID' });
  });

  it('file() downloads one entry; files() lists entries; a default download root lives in the store', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const single = await dataset({ 'model.json': '{"w":1}' }, 'single');
    await store.logArtifact(single, { project: 'p', producer: null });
    const path = await single.file();
    expect(path).toBe(join(fixture.storeDir, '.downloads', 'p', 'single', 'v0', 'model.json'));
    expect(readFileSync(path, 'utf8')).toBe('{"w":1}');
    // a second download keeps the verified file; an edited one is replaced
    const inode = statSync(path).ino;
    expect(await single.file()).toBe(path);
    expect(statSync(path).ino).toBe(inode);
    writeFileSync(path, '{"w":2}');
    await single.download();
    expect(readFileSync(path, 'utf8')).toBe('{"w":1}');
    const two = await dataset({ a: '1', b: '2' }, 'two');
    await store.logArtifact(two, { project: 'p', producer: null });
    await expect(two.file()).rejects.toMatchObject({ code: 'ARTIFACT_INVALID' });
    expect(readFileSync(await two.file('b'), 'utf8')).toBe('2');
    expect(two.files().map((f) => f.path)).toEqual(['a', 'b']);
  });
});

describe('stat cache and dedupe', () => {
  it('re-logging an unchanged folder reads nothing; one changed file stores only its bytes', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    for (let i = 0; i < 20; i++) fixture.write(`dir/f${i}.bin`, Buffer.alloc(10_000 + i, i));
    // Files written just now are "racy" (same timestamp tick) and are not cached; age them.
    const old = new Date(Date.now() - 60_000);
    for (let i = 0; i < 20; i++) {
      const { utimesSync } = await import('node:fs');
      utimesSync(fixture.path(`dir/f${i}.bin`), old, old);
    }
    const log = async () => {
      const a = new Artifact('folder', 'dataset');
      await a.addDir(fixture.path('dir'));
      return store.logArtifact(a, { project: 'p', producer: null });
    };
    const first = await log();
    expect(first.storedBytes).toBe(20 * 10_000 + 190);
    expect(existsSync(join(fixture.storeDir, '.cache', 'stat-cache.json'))).toBe(true);

    expect(first).toMatchObject({ hashedFiles: 20, cachedFiles: 0 });
    const second = await log();
    expect(second).toMatchObject({ created: false, hashedFiles: 0, cachedFiles: 20 });
    expect(second.storedBytes).toBe(0);

    writeFileSync(fixture.path('dir/f7.bin'), Buffer.alloc(10_007, 99));
    const third = await log();
    expect(third.created).toBe(true);
    expect(third.record.version).toBe(1);
    expect(third.storedBytes).toBe(10_007);
    expect(third).toMatchObject({ hashedFiles: 1, cachedFiles: 19 });

    // rewritten in place with the same size and its mtime put back: the changed ctime still gives it away
    const { utimesSync } = await import('node:fs');
    const before = statSync(fixture.path('dir/f3.bin'));
    writeFileSync(fixture.path('dir/f3.bin'), Buffer.alloc(10_003, 42));
    utimesSync(fixture.path('dir/f3.bin'), before.atime, before.mtime);
    const fourth = await log();
    // f7 was written moments before the previous log, too recently to be cached (git's racy rule): hashed
    // again, but only f3's bytes are new
    expect(fourth).toMatchObject({ created: true, hashedFiles: 2, storedBytes: 10_003 });
    expect(objectCount(fixture.storeDir)).toBe(22);
  });
});

describe('garbage collection', () => {
  it('removes only unreferenced objects; dry run removes nothing', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    await store.logArtifact(await dataset({ 'keep.txt': 'keep me' }), { project: 'p', producer: null });
    // an orphan: a version folder deleted by hand
    await store.logArtifact(await dataset({ 'gone.txt': 'orphaned bytes' }, 'other'), { project: 'p', producer: null });
    const { rmSync } = await import('node:fs');
    rmSync(join(fixture.storeDir, 'p', 'artifacts', 'other'), { recursive: true });
    expect(objectCount(fixture.storeDir)).toBe(2);

    const young = await collectGarbage(fixture.storeDir);
    expect(young.objectsRemoved).toBe(0); // within the grace period

    const dry = await collectGarbage(fixture.storeDir, { dryRun: true, minAgeMs: 0 });
    expect(dry).toMatchObject({ objectsRemoved: 1, bytesFreed: 14, objects: 2, dryRun: true });
    expect(objectCount(fixture.storeDir)).toBe(2);

    const real = await collectGarbage(fixture.storeDir, { minAgeMs: 0 });
    expect(real).toMatchObject({ objectsRemoved: 1, bytesFreed: 14 });
    expect(objectCount(fixture.storeDir)).toBe(1);
    await (await resolveArtifact(fixture.storeDir, 'p/ds:latest')).verify();
  });

  it('keeps objects of unfinished drafts, sweeps crashed commits, and refuses to run over a damaged manifest', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const { mkdirSync, rmSync, utimesSync } = await import('node:fs');
    const { upsertDraftPart } = await import('../src/artifacts/distributedDrafts.js');
    await store.logArtifact(await dataset({ 'kept.txt': 'kept' }), { project: 'p', producer: null });
    // a draft part references an object that no version does yet
    const draft = await dataset({ 'part.txt': 'part of a distributed version' }, 'dist');
    const { ingestDraft } = await import('../src/artifacts/ingestDraft.js');
    const { manifest } = await ingestDraft(draft.draftEntries(), store.objects);
    await upsertDraftPart(store, 'p', 'dist', 'job', 'w0', {
      contributor: { project: 'p', runId: 'w0' },
      type: 'dataset',
      description: '',
      metadata: {},
      entries: manifest.entries,
      at: new Date().toISOString(),
    });
    // a commit that crashed after writing its manifest, long ago
    await store.logArtifact(await dataset({ 'crashed.txt': 'crashed commit' }, 'c'), { project: 'p', producer: null });
    const versions = join(fixture.storeDir, 'p', 'artifacts', 'c', 'versions');
    const { renameSync } = await import('node:fs');
    renameSync(join(versions, 'v0'), join(versions, '.tmp-v0-1-dead'));
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(versions, '.tmp-v0-1-dead'), past, past);
    const result = await collectGarbage(fixture.storeDir, { minAgeMs: 0 });
    expect(result).toMatchObject({ objectsRemoved: 1, objects: 3 });
    expect(existsSync(join(versions, '.tmp-v0-1-dead'))).toBe(false);
    expect(objectCount(fixture.storeDir)).toBe(2);

    mkdirSync(join(fixture.storeDir, 'p', 'artifacts', 'ds', 'versions', 'v9'));
    writeFileSync(join(fixture.storeDir, 'p', 'artifacts', 'ds', 'versions', 'v9', 'manifest.json'), '{"entries":');
    await expect(collectGarbage(fixture.storeDir, { minAgeMs: 0 })).rejects.toMatchObject({ code: 'STORAGE' });
    expect(objectCount(fixture.storeDir)).toBe(2);
    rmSync(join(fixture.storeDir, 'p', 'artifacts', 'ds', 'versions', 'v9'), { recursive: true });
  });
});

describe("policy 'immutable'", () => {
  it('hard-links files instead of copying, leaves their permissions alone and still answers re-logs from the cache', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const { utimesSync } = await import('node:fs');
    const old = new Date(Date.now() - 60_000);
    for (let i = 0; i < 3; i++) {
      fixture.write(`dir/f${i}.bin`, Buffer.alloc(1000 + i, i));
      utimesSync(fixture.path(`dir/f${i}.bin`), old, old);
    }
    const log = async () => {
      const a = new Artifact('linked', 'dataset');
      await a.addDir(fixture.path('dir'), { policy: 'immutable' });
      const result = await store.logArtifact(a, { project: 'p', producer: null });
      return { a, result };
    };
    const { a, result } = await log();
    expect(result.storedBytes).toBe(3003);
    const object = store.objects.objectPath(a.manifest.entries['f1.bin'].digest!);
    expect(statSync(object).ino).toBe(statSync(fixture.path('dir/f1.bin')).ino);
    expect(statSync(fixture.path('dir/f1.bin')).mode & 0o200).toBe(0o200); // still writable by its owner
    await a.verify();
    const again = await log();
    expect(again.result).toMatchObject({ created: false, hashedFiles: 0, cachedFiles: 3 });
    await expect(
      new Artifact('x', 'dataset').addDir(fixture.path('dir'), { policy: 'sometimes' as 'mutable' }),
    ).rejects.toMatchObject({
      code: 'ARTIFACT_INVALID',
    });
  });
});

describe('hash workers', () => {
  it('work in a process started with --input-type=module (worker flags are not inherited)', async () => {
    fixture = makeFixture();
    const { execFileSync } = await import('node:child_process');
    const src = join(__dirname, '..', 'src', 'artifacts', 'index.ts');
    const script = `
      import { Artifact, ArtifactStore } from ${JSON.stringify(src)};
      import { writeFileSync } from 'node:fs';
      writeFileSync(${JSON.stringify(fixture.path('a.txt'))}, 'hello');
      const a = new Artifact('x', 'dataset');
      await a.addFile(${JSON.stringify(fixture.path('a.txt'))});
      await new ArtifactStore(${JSON.stringify(fixture.storeDir)}).logArtifact(a, { project: 'p', producer: null });
      await a.verify();
      console.log(a.qualifiedName);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('p/x:v0');
  });
});
