import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Artifact, ArtifactStore, RunlogError } from '@runlog/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withLock } from '../src/artifacts/collectionLock.js';
import { makeFixture } from './artifacts/storeFixture.js';

let fixture: ReturnType<typeof makeFixture>;
afterEach(() => fixture?.cleanup());

const code = (code: string) => expect.objectContaining({ code });

async function logged(store: ArtifactStore, files: Record<string, string>, name = 'ds', type = 'dataset') {
  const artifact = new Artifact(name, type);
  for (const [entry, content] of Object.entries(files))
    await artifact.addFile(fixture.write(`in/${name}/${entry}`, content), { name: entry });
  await store.logArtifact(artifact, { project: 'p', producer: null });
  return artifact;
}

describe('entry names', () => {
  it.each([
    ['..'],
    ['../x'],
    ['a/../b'],
    ['./a'],
    ['/etc/passwd'],
    ['C:\\x'],
    ['a\\b'],
    ['a\0b'],
    [''],
    ['a//b'],
    ['a/'],
  ])('rejects %j in addFile and newFile', async (name) => {
    fixture = makeFixture();
    const file = fixture.write('f.txt', 'x');
    const artifact = new Artifact('ds', 'dataset');
    await expect(artifact.addFile(file, { name })).rejects.toThrow(RunlogError);
    await expect(artifact.addFile(file, { name })).rejects.toEqual(code('ARTIFACT_INVALID'));
    expect(() => artifact.newFile(name)).toThrow(expect.objectContaining({ code: 'ARTIFACT_INVALID' }));
    expect(artifact.files()).toEqual([]);
  });

  it('rejects duplicates and a name that is both a file and a folder', async () => {
    fixture = makeFixture();
    const file = fixture.write('f.txt', 'x');
    const artifact = new Artifact('ds', 'dataset');
    await artifact.addFile(file, { name: 'a' });
    await expect(artifact.addFile(file, { name: 'a' })).rejects.toEqual(code('ARTIFACT_INVALID'));
    await expect(artifact.addFile(file, { name: 'a/b' })).rejects.toEqual(code('ARTIFACT_INVALID'));
    fixture.write('dir/a', 'y');
    await expect(artifact.addDir(fixture.path('dir'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    expect(artifact.files().map((f) => f.path)).toEqual(['a']);
  });

  it('rejects invalid artifact names, types, aliases and references', async () => {
    for (const name of ['a b', 'a/b', '..', '.', '', 'x'.repeat(129), 'ü'])
      expect(() => new Artifact(name, 'dataset')).toThrow(expect.objectContaining({ code: 'ARTIFACT_INVALID' }));
    expect(() => new Artifact('ok', 'bad type')).toThrow(expect.objectContaining({ code: 'ARTIFACT_INVALID' }));
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const a = new Artifact('ds', 'dataset');
    await a.addFile(fixture.write('f', 'x'));
    await expect(store.logArtifact(a, { project: 'p', aliases: ['v3'], producer: null })).rejects.toEqual(
      code('ARTIFACT_INVALID'),
    );
    await expect(store.logArtifact(a, { project: 'p', aliases: ['has space'], producer: null })).rejects.toEqual(
      code('ARTIFACT_INVALID'),
    );
    await expect(a.addReference('ftp://host/file')).rejects.toEqual(code('ARTIFACT_INVALID'));
    await expect(a.addReference('not a uri')).rejects.toEqual(code('ARTIFACT_INVALID'));
    await expect(store.resolve('a/b/c/d:latest')).rejects.toEqual(code('ARTIFACT_INVALID'));
    expect(a.isLogged).toBe(false);
  });
});

describe('symlinks', () => {
  it('follows links inside the folder and rejects links leaving it, dangling links and loops', async () => {
    fixture = makeFixture();
    fixture.write('dir/real.txt', 'inside');
    fixture.write('secret.txt', 'outside');
    symlinkSync(fixture.path('dir/real.txt'), fixture.path('dir/alias.txt'));
    const ok = new Artifact('ds', 'dataset');
    expect(await ok.addDir(fixture.path('dir'))).toEqual(['alias.txt', 'real.txt']);

    symlinkSync(fixture.path('secret.txt'), fixture.path('dir/escape.txt'));
    await expect(new Artifact('ds', 'dataset').addDir(fixture.path('dir'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    unlinkSync(fixture.path('dir/escape.txt'));

    symlinkSync('..', fixture.path('dir/up'));
    await expect(new Artifact('ds', 'dataset').addDir(fixture.path('dir'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    unlinkSync(fixture.path('dir/up'));

    symlinkSync(fixture.path('nowhere'), fixture.path('dir/dangling'));
    await expect(new Artifact('ds', 'dataset').addDir(fixture.path('dir'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    unlinkSync(fixture.path('dir/dangling'));

    mkdirSync(fixture.path('dir/sub'));
    symlinkSync(fixture.path('dir'), fixture.path('dir/sub/loop'));
    await expect(new Artifact('ds', 'dataset').addDir(fixture.path('dir'))).rejects.toEqual(code('ARTIFACT_INVALID'));
  });
});

describe('missing and changing files', () => {
  it('a missing file fails at addFile/addDir, and a file removed before logging fails the log', async () => {
    fixture = makeFixture();
    const a = new Artifact('ds', 'dataset');
    await expect(a.addFile(fixture.path('nope.txt'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    await expect(a.addDir(fixture.path('nodir'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    const file = fixture.write('soon-gone.txt', 'x');
    await a.addFile(file);
    rmSync(file);
    const store = new ArtifactStore(fixture.storeDir);
    await expect(store.logArtifact(a, { project: 'p', producer: null })).rejects.toEqual(code('ARTIFACT_INVALID'));
    expect(existsSync(join(fixture.storeDir, 'p', 'artifacts', 'ds', 'versions'))).toBe(false);
  });

  it.each(['append', 'overwrite'])(
    'a file that changes (%s) while it is hashed is an INTEGRITY error',
    async (mode) => {
      fixture = makeFixture();
      const file = fixture.write('growing.bin', Buffer.alloc(96 << 20, 1));
      const writer: ChildProcess = spawn(process.execPath, [
        join(__dirname, 'artifacts', 'keepWriting.mjs'),
        file,
        mode,
      ]);
      try {
        await new Promise<void>((resolve, reject) => {
          writer.stdout!.once('data', () => resolve());
          writer.once('error', reject);
        });
        const a = new Artifact('ds', 'dataset');
        await a.addFile(file);
        const store = new ArtifactStore(fixture.storeDir);
        const error = await store.logArtifact(a, { project: 'p', producer: null }).catch((e) => e);
        expect(error).toMatchObject({ code: 'INTEGRITY', problems: [{ reason: 'changed' }] });
        expect(a.isLogged).toBe(false);
      } finally {
        writer.kill();
      }
    },
  );

  it('newFile must be ended before logging', async () => {
    fixture = makeFixture();
    const a = new Artifact('ds', 'dataset');
    const stream = a.newFile('open.txt');
    stream.write('partial');
    const store = new ArtifactStore(fixture.storeDir);
    await expect(store.logArtifact(a, { project: 'p', producer: null })).rejects.toEqual(code('ARTIFACT_INVALID'));
    stream.end();
    await store.logArtifact(a, { project: 'p', producer: null });
    expect(readFileSync(await a.file(), 'utf8')).toBe('partial');
  });
});

describe('resolving', () => {
  it('unknown collections, versions and aliases are ARTIFACT_NOT_FOUND; a type clash is ARTIFACT_TYPE_MISMATCH', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    await logged(store, { 'a.txt': 'a' });
    await expect(store.resolve('p/nothing:latest')).rejects.toEqual(code('ARTIFACT_NOT_FOUND'));
    await expect(store.resolve('p/ds:v7')).rejects.toEqual(code('ARTIFACT_NOT_FOUND'));
    await expect(store.resolve('p/ds:production')).rejects.toEqual(code('ARTIFACT_NOT_FOUND'));
    await expect(store.resolve(`p/ds:${'0'.repeat(64)}`)).rejects.toEqual(code('ARTIFACT_NOT_FOUND'));
    await expect(logged(store, { 'b.txt': 'b' }, 'ds', 'model')).rejects.toEqual(code('ARTIFACT_TYPE_MISMATCH'));
    // nothing already logged was lost
    const versions = await store.listVersions('p', 'ds');
    expect(versions.map((v) => v.version)).toEqual([0]);
    await (await store.resolve('p/ds:latest')).verify();
  });

  it('a logged artifact is read-only and a draft cannot be downloaded', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const a = await logged(store, { 'a.txt': 'a' });
    await expect(a.addFile(fixture.write('x', 'x'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    expect(() => a.remove('a.txt')).toThrow(expect.objectContaining({ code: 'ARTIFACT_INVALID' }));
    await expect(new Artifact('d', 'dataset').download()).rejects.toEqual(code('ARTIFACT_INVALID'));
  });
});

describe('download and verify', () => {
  it('never writes outside its root, even with a tampered manifest or a symlink inside the root', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    await logged(store, { 'sub/x.txt': 'x' });
    const manifestPath = join(fixture.storeDir, 'p', 'artifacts', 'ds', 'versions', 'v0', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const evil = { entries: { '../evil.txt': manifest.entries['sub/x.txt'] } };
    chmodSync(manifestPath, 0o644);
    writeFileSync(manifestPath, JSON.stringify(evil));
    const tampered = await store.resolve('p/ds:v0');
    await expect(tampered.download(fixture.path('root'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    expect(existsSync(fixture.path('evil.txt'))).toBe(false);

    writeFileSync(manifestPath, JSON.stringify(manifest));
    const clean = await store.resolve('p/ds:v0');
    mkdirSync(fixture.path('root2'));
    mkdirSync(fixture.path('outside'));
    symlinkSync(fixture.path('outside'), fixture.path('root2/sub'));
    await expect(clean.download(fixture.path('root2'))).rejects.toEqual(code('ARTIFACT_INVALID'));
    expect(existsSync(fixture.path('outside/x.txt'))).toBe(false);
  });

  it('verify() detects a corrupted or missing object, and download() refuses to write corrupted bytes', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const a = await logged(store, { 'good.txt': 'good', 'bad.txt': 'bad!' });
    await a.verify();
    const bad = store.objects.objectPath(a.manifest.entries['bad.txt'].digest!);
    chmodSync(bad, 0o644);
    writeFileSync(bad, 'BAD!');
    const error = await a.verify().catch((e) => e);
    expect(error).toMatchObject({ code: 'INTEGRITY', problems: [{ path: 'bad.txt', reason: 'digest' }] });
    await expect(a.download(fixture.path('dl'))).rejects.toEqual(code('INTEGRITY'));
    expect(existsSync(fixture.path('dl/bad.txt'))).toBe(false);
    expect(readFileSync(fixture.path('dl/good.txt'), 'utf8')).toBe('good');
    rmSync(bad);
    await expect(a.verify()).rejects.toMatchObject({ problems: [{ path: 'bad.txt', reason: 'missing' }] });
    // a downloaded copy that was edited is caught by verify(root)
    writeFileSync(fixture.path('dl/good.txt'), 'g00d');
    await expect(a.verify(fixture.path('dl'))).rejects.toMatchObject({
      problems: [{ path: 'bad.txt' }, { path: 'good.txt' }],
    });
  });
});

describe('lock', () => {
  it('breaks a lock left by a dead process and waits for a live one', async () => {
    fixture = makeFixture();
    mkdirSync(fixture.base, { recursive: true });
    const lock = fixture.path('.lock');
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid!)));
    writeFileSync(lock, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead', at: Date.now() }));
    expect(await withLock(lock, async () => readFileSync(lock, 'utf8'))).toContain(String(process.pid));
    expect(existsSync(lock)).toBe(false);

    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'live', at: 0 }));
    await expect(withLock(lock, async () => 1, { timeoutMs: 200 })).rejects.toEqual(code('STORAGE'));
    expect(JSON.parse(readFileSync(lock, 'utf8')).token).toBe('live');
    // another host's lock is only stale once old
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', token: 'old', at: Date.now() - 3_600_000 }));
    expect(await withLock(lock, async () => 'acquired', { timeoutMs: 2_000 })).toBe('acquired');
  });
});
