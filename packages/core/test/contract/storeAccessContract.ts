// The store-access contract: what every StoreAccess implementation does, as a reusable suite. Call
// `describeStoreAccessContract(name, makeAccess)` from a test file: it writes a store with the real engine
// (writeContractStore.ts) and runs every check against the StoreAccess `makeAccess` returns over that data (the
// file implementation reads the folder; a server syncs it first and answers over HTTP).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson, encodeJson, RunlogError, type RunRef, type StoreAccess } from '../../src/index.js';
import { CONTRACT } from './contractFacts.js';
import { describeEditContract } from './editContract.js';
import { describeHistoryContract } from './historyContract.js';
import { describeStreamContract } from './streamContract.js';

/** The store the contract reads: its folder, written by the engine. */
export interface ContractStore {
  dir: string;
}

export type MakeAccess = (store: ContractStore) => StoreAccess | Promise<StoreAccess>;

/** What the parts of the suite share: the access under test (set before any test runs). */
export interface ContractContext {
  access: StoreAccess;
  store: ContractStore;
}

export const MAIN: RunRef = { project: CONTRACT.project, id: CONTRACT.main };

/** Writes the contract store into a new temp folder (a child process running the real engine). */
export function writeContractStore(): ContractStore {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-contract-'));
  execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'writeContractStore.ts'), dir], {
    cwd: join(import.meta.dirname, '..', '..', '..', '..'),
    stdio: 'pipe',
  });
  return { dir };
}

/** Rejects with a RunlogError of this code. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a RunlogError ${code}`).toBeInstanceOf(RunlogError);
  expect((error as RunlogError).code).toBe(code);
}

/** Plain data: survives runlog's JSON codec unchanged, and names no path of the machine holding the store. */
export function expectPlainData(value: unknown, store: ContractStore): void {
  const text = encodeJson(value);
  expect(decodeJson(text)).toEqual(value);
  expect(text).not.toContain(store.dir);
}

export function describeStoreAccessContract(name: string, makeAccess: MakeAccess): void {
  describe(`StoreAccess contract: ${name}`, () => {
    const context = {} as ContractContext;
    beforeAll(async () => {
      context.store = writeContractStore();
      context.access = await makeAccess(context.store);
    }, 120_000);
    afterAll(() => {
      if (context.store) rmSync(context.store.dir, { recursive: true, force: true });
    });

    describeRunsContract(context);
    describeStreamContract(context);
    describeHistoryContract(context);
    describeFilesAndArtifactsContract(context);
    describeEditContract(context);
  });
}

function describeRunsContract(context: ContractContext): void {
  describe('projects and runs', () => {
    it('lists the projects with their run and artifact counts', async () => {
      const projects = await context.access.projects();
      expectPlainData(projects, context.store);
      expect(projects.map((p) => p.name)).toEqual([CONTRACT.otherProject, CONTRACT.project].sort());
      const contract = projects.find((p) => p.name === CONTRACT.project)!;
      expect(contract.runCount).toBe(5);
      expect(contract.artifactCount).toBe(1);
    });

    it('lists runs filtered and ordered, and every project without one', async () => {
      const all = await context.access.listRuns({ project: CONTRACT.project, order: 'name' });
      expectPlainData(all, context.store);
      expect(all.runs.map((r) => r.record.name)).toEqual(['consumer', 'deleted', 'edited', 'failed run', 'main run']);
      expect(all.skipped).toEqual([]);
      const finished = await context.access.listRuns({
        project: CONTRACT.project,
        filters: { state: 'finished', 'summary.loss': { $lt: 0.9 } },
        order: '-summary.loss',
      });
      expect(finished.runs.map((r) => r.record.id)).toEqual([CONTRACT.consumer, CONTRACT.main]);
      const everywhere = await context.access.listRuns({});
      expect(everywhere.runs.map((r) => r.record.project)).toContain(CONTRACT.otherProject);
      await expectCode(context.access.listRuns({ project: 'nosuchproject' }), 'RUN_NOT_FOUND');
      await expectCode(context.access.listRuns({ project: CONTRACT.project, filters: { nope: 1 } }), 'FILTER_INVALID');
      await expectCode(context.access.listRuns({ project: '../x' }), 'INVALID_ARGUMENT');
    });

    it('reads one run: its document, summary (values decoded), state, last step and runtime', async () => {
      const run = await context.access.readRun(MAIN);
      expectPlainData(run, context.store);
      expect(run.record).toMatchObject({
        id: CONTRACT.main,
        project: CONTRACT.project,
        name: 'main run',
        config: { lr: 0.01, model: { layers: 3 } },
        tags: ['contract', 'main'],
        state: 'finished',
        exitCode: 0,
      });
      expect(run.state).toBe('finished');
      expect(run.lastHistoryStep).toBe(CONTRACT.rows - 1);
      expect(run.summary.loss).toBe(-5 + 1 / (CONTRACT.minLossStep + 1)); // defineMetric summary: 'min'
      expect(Object.is(run.summary.odd, -0)).toBe(true); // the last value of `odd`, -0 kept
      expect(run.summary.when).toEqual(new Date(CONTRACT.date));
      expect(run.runtime).toBeGreaterThanOrEqual(0);
      const failed = await context.access.readRun({ project: CONTRACT.project, id: CONTRACT.failed });
      expect(failed.state).toBe('failed');
      expect(failed.record.exitCode).toBe(1);
    });

    it('refuses unknown and unsafe names', async () => {
      await expectCode(context.access.readRun({ project: CONTRACT.project, id: 'nosuchrun' }), 'RUN_NOT_FOUND');
      await expectCode(context.access.readRun({ project: 'nosuchproject', id: 'x' }), 'RUN_NOT_FOUND');
      await expectCode(context.access.readRun({ project: CONTRACT.project, id: '../main' }), 'INVALID_ARGUMENT');
      await expectCode(
        context.access.readStream({ project: CONTRACT.project, id: 'nosuchrun' }, 'history'),
        'RUN_NOT_FOUND',
      );
    });

    it('reads the metric definitions, globs included, as defineMetric made them', async () => {
      const definitions = await context.access.metricDefinitions(MAIN);
      expectPlainData(definitions, context.store);
      expect(definitions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'epoch/*', stepMetric: 'epoch' }),
          expect.objectContaining({ name: 'loss', summary: 'min' }),
        ]),
      );
      expect(await context.access.metricDefinitions({ project: CONTRACT.project, id: CONTRACT.failed })).toEqual([]);
    });
  });
}

function describeFilesAndArtifactsContract(context: ContractContext): void {
  describe('files and artifacts', () => {
    it("lists a run's files and reads their bytes by range", async () => {
      const files = await context.access.listFiles(MAIN);
      expectPlainData(files, context.store);
      const notes = files.find((f) => f.name === 'files/notes.txt');
      expect(notes?.size).toBe(CONTRACT.fileText.length);
      const whole = await context.access.readFile(MAIN, 'files/notes.txt');
      expect(Buffer.from(whole.bytes).toString('utf8')).toBe(CONTRACT.fileText);
      expect(whole.size).toBe(CONTRACT.fileText.length);
      const part = await context.access.readFile(MAIN, 'files/notes.txt', { offset: 6, length: 2 });
      expect(Buffer.from(part.bytes).toString('utf8')).toBe(CONTRACT.fileText.slice(6, 8));
      expect(part.offset).toBe(6);
      await expectCode(context.access.readFile(MAIN, 'files/nosuchfile'), 'RUN_NOT_FOUND');
      for (const name of ['../consumer/files/x', '/etc/passwd', 'files/../../x', 'a\0b']) {
        await expectCode(context.access.readFile(MAIN, name), 'INVALID_ARGUMENT');
      }
    });

    it('lists collections and versions, reads a version with its manifest, and who used it', async () => {
      const collections = await context.access.artifactCollections(CONTRACT.project);
      expectPlainData(collections, context.store);
      expect(collections).toEqual([
        expect.objectContaining({
          name: CONTRACT.artifact,
          type: 'dataset',
          versionCount: 1,
          aliases: { best: 0, latest: 0 },
        }),
      ]);
      const versions = await context.access.artifactVersions(CONTRACT.project, CONTRACT.artifact);
      expect(versions.map((v) => [v.version, v.aliases, v.producer])).toEqual([
        [0, ['latest', 'best'], { project: CONTRACT.project, runId: CONTRACT.main }],
      ]);
      const version = await context.access.artifactVersion(`${CONTRACT.project}/${CONTRACT.artifact}:best`);
      expectPlainData(version, context.store);
      expect(version.version).toBe(0);
      expect(version.description).toBe('the contract data');
      expect(Object.keys(version.manifest.entries)).toEqual(['train.csv']);
      expect(version.manifest.entries['train.csv'].size).toBe(8);
      const consumers = await context.access.artifactConsumers(`${CONTRACT.project}/${CONTRACT.artifact}:v0`);
      expect(consumers.map((c) => [c.project, c.runId])).toEqual([[CONTRACT.project, CONTRACT.consumer]]);
      await expectCode(
        context.access.artifactVersion(`${CONTRACT.project}/${CONTRACT.artifact}:v9`),
        'ARTIFACT_NOT_FOUND',
      );
      await expectCode(context.access.artifactVersions(CONTRACT.project, 'nosuchartifact'), 'ARTIFACT_NOT_FOUND');
    });
  });
}
