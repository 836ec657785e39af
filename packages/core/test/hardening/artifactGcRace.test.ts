import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Artifact, ArtifactStore, collectGarbage } from '@runlog/core';
import { withLock } from '@runlog/core/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFixture } from '../artifacts/storeFixture.js';

// #19 item 3: `runlog artifact gc` running while content is logged must never leave a version without its objects.
let fixture: ReturnType<typeof makeFixture>;
afterEach(() => fixture?.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hourAgo = () => new Date(Date.now() - 3_600_000);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await sleep(50);
  expect(check()).toBe(true);
}

describe('artifact gc racing with logging', () => {
  it('content reused from an unreferenced object that gc removes before the commit is stored again', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    const file = fixture.write('weights.bin', 'the same bytes as a deleted version had');
    utimesSync(file, hourAgo(), hourAgo()); // old enough for the stat cache: its file tells when ingesting is done
    // The object of a version since deleted: stored, referenced by nothing, older than any grace period.
    const { digest } = await store.objects.ingestFile(file);
    utimesSync(store.objects.objectPath(digest), hourAgo(), hourAgo());

    // Hold the collection lock so the log stops between reusing the object and committing its version.
    const collection = store.collectionDir('p', 'weights');
    mkdirSync(collection, { recursive: true });
    let release = () => {};
    const held = withLock(join(collection, '.lock'), () => new Promise<void>((done) => (release = done)));
    await until(() => existsSync(join(collection, '.lock')));
    const artifact = new Artifact('weights', 'model');
    await artifact.addFile(file);
    const logging = store.logArtifact(artifact, { project: 'p', producer: null });
    await until(() => existsSync(join(fixture.storeDir, '.cache', 'stat-cache.json'))); // ingest done
    await sleep(100);

    // Before the fix gc removed the object here and the version below was committed without it.
    await collectGarbage(fixture.storeDir, { minAgeMs: 0 });
    release();
    await held;
    const logged = await logging;
    expect(logged.created).toBe(true);
    const committed = await store.resolve('p/weights:v0');
    await expect(committed.verify()).resolves.toBeUndefined();
  });

  it('gc with min age 0 never removes the objects of versions committed while it runs', async () => {
    fixture = makeFixture();
    const store = new ArtifactStore(fixture.storeDir);
    let stop = false;
    const logged: string[] = [];
    const logger = (async () => {
      for (let i = 0; !stop || i < 5; i++) {
        const artifact = new Artifact('data', 'dataset');
        await artifact.addFile(fixture.write(`round${i}/a.txt`, `content ${i} a`));
        await artifact.addFile(fixture.write(`round${i}/b.txt`, `content ${i} b`));
        const result = await store.logArtifact(artifact, { project: 'p', producer: null });
        logged.push(`p/data:v${result.record.version}`);
      }
    })();
    let collections = 0;
    const collector = (async () => {
      while (!stop) {
        await collectGarbage(fixture.storeDir, { minAgeMs: 0 });
        collections++;
      }
    })();
    await sleep(4000);
    stop = true;
    await Promise.all([logger, collector]);
    expect(collections).toBeGreaterThan(0);
    expect(logged.length).toBeGreaterThanOrEqual(5);
    for (const ref of logged) await (await store.resolve(ref)).verify();
    expect(readdirSync(store.objects.tmpDir).filter((name) => name.startsWith('gc-'))).toEqual([]);
  });
});
