import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Artifact, ArtifactInvalidError, ArtifactStore } from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFixture } from '../artifacts/storeFixture.js';

// #19 item 14: artifacts must not read or write outside where they were told, nor reuse a damaged object.
let fixture: ReturnType<typeof makeFixture>;
afterEach(() => fixture?.cleanup());

const log = (store: ArtifactStore, artifact: Artifact) => store.logArtifact(artifact, { project: 'p', producer: null });
const past = new Date(Date.now() - 60_000);

describe('download', () => {
  it('refuses a symlink planted in the download root before creating anything through it', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const artifact = new Artifact('data', 'dataset');
    await artifact.addFile(fixture.write('input/file.txt', 'hello'), { name: 'evil/sub/file.txt' });
    await log(store, artifact);
    const outside = fixture.path('outside');
    mkdirSync(outside);
    const root = fixture.path('download');
    mkdirSync(root);
    symlinkSync(outside, join(root, 'evil'));
    const error = await (await store.resolve('p/data:v0')).download(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactInvalidError);
    expect(existsSync(join(outside, 'sub'))).toBe(false);
  });

  it('skips file:// references with { references: false }', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const secret = fixture.write('secret.txt', 'private');
    const artifact = new Artifact('refs', 'dataset');
    await artifact.addReference(pathToFileURL(secret).href, { checksum: false });
    await artifact.addFile(fixture.write('input/kept.txt', 'stored'));
    await log(store, artifact);
    const version = await store.resolve('p/refs:v0');
    const safe = await version.download(fixture.path('safe'), { references: false });
    expect(existsSync(join(safe, 'secret.txt'))).toBe(false);
    expect(readFileSync(join(safe, 'kept.txt'), 'utf8')).toBe('stored');
    const all = await version.download(fixture.path('all'));
    expect(readFileSync(join(all, 'secret.txt'), 'utf8')).toBe('private');
  });
});

describe('logging files added earlier', () => {
  it('refuses a file swapped for a symlink to outside between addDir and logArtifact', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const secret = fixture.write('secret.txt', 'private');
    fixture.write('dir/a.txt', 'a');
    const artifact = new Artifact('swapped', 'dataset');
    await artifact.addDir(fixture.path('dir'));
    renameSync(fixture.path('dir/a.txt'), fixture.path('a.old'));
    symlinkSync(secret, fixture.path('dir/a.txt'));
    const error = await log(store, artifact).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactInvalidError);
    expect(await store.readCollection('p', 'swapped')).toBeUndefined();
  });

  it('refuses a folder swapped for a symlink to outside between addDir and logArtifact', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    fixture.write('elsewhere/b.txt', 'private');
    fixture.write('dir/sub/b.txt', 'b');
    const artifact = new Artifact('swapped-dir', 'dataset');
    await artifact.addDir(fixture.path('dir'));
    renameSync(fixture.path('dir/sub'), fixture.path('sub.old'));
    symlinkSync(fixture.path('elsewhere'), fixture.path('dir/sub'));
    const error = await log(store, artifact).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactInvalidError);
  });

  it('still logs a file given to addFile through a symlink', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const real = fixture.write('real.bin', 'weights');
    symlinkSync(real, fixture.path('latest.bin'));
    const artifact = new Artifact('linked', 'model');
    await artifact.addFile(fixture.path('latest.bin'));
    await log(store, artifact);
    const version = await store.resolve('p/linked:v0');
    expect(version.files().map((f) => f.path)).toEqual(['latest.bin']);
    await version.verify();
  });
});

describe('a stored object damaged in place with its size unchanged', () => {
  it('is not reused: logging the same content again stores a verified copy', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const file = fixture.write('model.bin', 'good bytes');
    utimesSync(file, past, past); // old enough for the stat cache to remember it
    const first = new Artifact('m', 'model');
    await first.addFile(file);
    const { manifest } = await log(store, first);
    const object = store.objects.objectPath(manifest.entries['model.bin'].digest as string);
    chmodSync(object, 0o644);
    writeFileSync(object, 'evil bytes');
    const again = new Artifact('m2', 'model');
    await again.addFile(file);
    await log(store, again);
    await (await store.resolve('p/m2:v0')).verify();
    await (await store.resolve('p/m:v0')).verify(); // repaired too: same content, same object
    expect(readFileSync(object, 'utf8')).toBe('good bytes');
  });
});
