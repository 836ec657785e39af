import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Artifact, ArtifactStore, computeManifestDigest, readRunArtifacts } from '@runlog/core';
import { afterEach, expect, it } from 'vitest';
import { RunArtifacts } from '../src/artifacts/runArtifacts.js';
import { makeFixture } from './artifacts/storeFixture.js';

let fixture: ReturnType<typeof makeFixture>;
afterEach(() => fixture?.cleanup());

interface ChildResult {
  round: number;
  version: number;
  digest: string;
  created: boolean;
}

function runChild(args: string[], script = 'logConcurrently.ts'): Promise<ChildResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'artifacts', script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim() ? JSON.parse(out) : []) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

it('eight processes logging the same name at once get distinct well-formed versions, equal content one version, no lost alias', async () => {
  fixture = makeFixture();
  const children = 8;
  const rounds = 3;
  // Children need ~1-2 s to start tsx on two cores; they all begin logging at the same moment.
  const startAt = Date.now() + 4_000;
  const results = await Promise.all(
    Array.from({ length: children }, (_, i) =>
      runChild([fixture.storeDir, fixture.base, String(i), String(startAt), String(rounds)]),
    ),
  );
  const store = new ArtifactStore(fixture.storeDir);
  const versions = await store.listVersions('p', 'shared');
  // 1 shared + 4 unique contents per round
  expect(versions.map((v) => v.version)).toEqual(Array.from({ length: rounds * 5 }, (_, i) => i));
  expect(new Set(versions.map((v) => v.digest)).size).toBe(versions.length);
  for (const v of versions) {
    const dir = join(fixture.storeDir, 'p', 'artifacts', 'shared', 'versions', `v${v.version}`);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.entries)).toEqual(['data.txt', 'nested/more.bin']);
    expect(computeManifestDigest(manifest)).toBe(v.digest);
    await (await store.resolve(`p/shared:v${v.version}`)).verify();
  }
  const byDigest = new Map(versions.map((v) => [v.digest, v.version]));
  for (const [i, childResults] of results.entries()) {
    for (const r of childResults) expect(byDigest.get(r.digest)).toBe(r.version);
    if (i % 2 === 0) for (const r of childResults) expect(r.version).toBe(results[0][r.round].version); // equal content, one version
  }
  // exactly one child created each shared version
  for (let round = 0; round < rounds; round++)
    expect(results.filter((rs, i) => i % 2 === 0 && rs[round].created).length).toBe(1);
  const aliases = JSON.parse(readFileSync(join(fixture.storeDir, 'p', 'artifacts', 'shared', 'aliases.json'), 'utf8'));
  expect(aliases.latest).toBe(rounds * 5 - 1);
  for (let i = 0; i < children; i++) expect(aliases[`c${i}`]).toBe(results[i][rounds - 1].version);
  expect(existsSync(join(fixture.storeDir, 'p', 'artifacts', 'shared', '.lock'))).toBe(false);
  expect(
    readdirSync(join(fixture.storeDir, 'p', 'artifacts', 'shared', 'versions')).filter((d) => d.startsWith('.')),
  ).toEqual([]);
});

it('a group of processes builds one version with upsertArtifact, one of them finishes it', async () => {
  fixture = makeFixture();
  await Promise.all([0, 1, 2, 3].map((i) => runChild([fixture.storeDir, `worker${i}`, String(i)], 'upsertPart.ts')));
  const finisher = new RunArtifacts({
    storeDir: fixture.storeDir,
    project: 'p',
    runId: 'chief',
    runDir: join(fixture.storeDir, 'p', 'runs', 'chief'),
    emit: () => {},
    reportError: (error) => {
      throw error;
    },
  });
  const last = new Artifact('shards', 'dataset');
  last.newFile('index.txt').end('4 shards\n');
  const version = await finisher.finishArtifact(last, { distributedId: 'job-1' });
  expect(version.version).toBe('v0');
  expect(Object.keys(version.manifest.entries)).toEqual([
    'index.txt',
    'shard-0.txt',
    'shard-1.txt',
    'shard-2.txt',
    'shard-3.txt',
  ]);
  await version.verify();
  const [record] = await new ArtifactStore(fixture.storeDir).listVersions('p', 'shards');
  expect(record.contributors?.map((c) => c.runId).sort()).toEqual([
    'chief',
    'worker0',
    'worker1',
    'worker2',
    'worker3',
  ]);
  expect(await readRunArtifacts(join(fixture.storeDir, 'p', 'runs', 'worker2'))).toMatchObject([
    { direction: 'logged', artifact: 'p/shards', distributedId: 'job-1', digest: null },
  ]);
});
