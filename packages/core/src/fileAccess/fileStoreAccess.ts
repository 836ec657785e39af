import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryOutlineData, HistoryRowsQuery } from '../access/historyOutlineData.js';
import type {
  DeleteRunOptions,
  PendingRunOptions,
  ProjectInfo,
  RunData,
  RunListing,
  RunPatch,
  RunQuery,
  RunRef,
} from '../access/runData.js';
import type { ArtifactVersionData, StoreAccess } from '../access/storeAccess.js';
import type { FileChunk, FileReadOptions, StoreFile } from '../access/storeFile.js';
import type { RowBytesReader, RowStream, StreamChunk, StreamName, StreamReadOptions } from '../access/streamChunk.js';
import { ArtifactStore } from '../artifacts/artifactStore.js';
import type { CollectionInfo, ConsumerRecord, VersionInfo } from '../artifacts/versionRecord.js';
import { InvalidValueError, NotFoundError } from '../errors/runlogError.js';
import type { HistoryRow } from '../historyRows/historyRowText.js';
import { readJson } from '../storage/readJson.js';
import { assertSafeName, RUN_FILES, resolveStoreDir, storePaths } from '../storage/storePaths.js';
import type { MetricDefinition } from '../summary/metricDefinition.js';
import { openFileRowBytes, readFileStream, streamFile } from './fileStreams.js';
import { HistoryOutlineCache } from './historyOutlineCache.js';
import { writePendingRun } from './pendingRun.js';
import { RunDataCache } from './runDataCache.js';
import { deleteRunFolder, type RunFolder, setRunFolderState, updateRunFolder } from './runEdits.js';
import { listRunFiles, readRunFile } from './runFiles.js';
import { listRunFolders } from './runListing.js';
import { loadRunSnapshot } from './runSnapshot.js';

/**
 * The store-access seam over a local store folder (docs/FORMAT.md): the default every reader uses. It keeps
 * small caches (unchanged finished runs, loaded history indexes), so one long-lived instance (the dashboard's)
 * answers repeated listings and charts cheaply.
 * @example
 * const access = new FileStoreAccess('./runlog');
 * const { rows, nextOffset } = await access.readStream({ project: 'digits', id: 'a1b2c3d4' }, 'history');
 */
export class FileStoreAccess implements StoreAccess {
  /** Absolute store root. */
  readonly dir: string;
  private readonly runs = new RunDataCache();
  private readonly outlines = new HistoryOutlineCache();
  private readonly artifacts: ArtifactStore;

  constructor(dir?: string) {
    this.dir = resolveStoreDir(dir);
    this.artifacts = new ArtifactStore(this.dir);
  }

  get location(): string {
    return this.dir;
  }

  async projects(): Promise<ProjectInfo[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const projects: ProjectInfo[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === 'objects') continue;
      const [runs, artifacts] = await Promise.all([
        countDirs(storePaths.runs(this.dir, entry.name)),
        countDirs(storePaths.artifacts(this.dir, entry.name)),
      ]);
      if (runs === undefined && artifacts === undefined) continue; // not a project folder
      projects.push({ name: entry.name, runCount: runs ?? 0, artifactCount: artifacts ?? 0 });
    }
    return projects.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async listRuns(query: RunQuery = {}): Promise<RunListing> {
    const { project } = query;
    let projects: string[];
    if (project !== undefined) {
      assertSafeName('project', project);
      await this.assertProject(project);
      projects = [project];
    } else projects = (await this.projects()).map((p) => p.name);
    const folders = projects.map((p) => ({ project: p, runsDir: storePaths.runs(this.dir, p) }));
    return listRunFolders(folders, query, this.runs);
  }

  async readRun(run: RunRef): Promise<RunData> {
    const folder = await this.folder(run);
    return loadRunSnapshot(folder.dir, folder.project, folder.id);
  }

  async metricDefinitions(run: RunRef): Promise<MetricDefinition[]> {
    const folder = await this.folder(run);
    const metrics = await readJson<{ definitions?: unknown }>(join(folder.dir, RUN_FILES.metrics)).catch(
      () => undefined,
    );
    const definitions = metrics?.definitions;
    return Array.isArray(definitions)
      ? definitions.filter((d): d is MetricDefinition => typeof d?.name === 'string')
      : [];
  }

  async createRun(options: PendingRunOptions): Promise<RunData> {
    const { dir, record } = await writePendingRun(this.dir, options);
    return loadRunSnapshot(dir, record.project, record.id);
  }

  async updateRun(run: RunRef, patch: RunPatch): Promise<RunData> {
    return updateRunFolder(await this.folder(run), patch);
  }

  async setRunState(run: RunRef, state: 'pending' | 'failed'): Promise<RunData> {
    return setRunFolderState(await this.folder(run), state);
  }

  async deleteRun(run: RunRef, options: DeleteRunOptions = {}): Promise<void> {
    const folder = await this.folder(run);
    await deleteRunFolder(folder, this.dir, options);
    this.outlines.forget(folder.dir);
  }

  async readStream<S extends StreamName>(
    run: RunRef,
    stream: S,
    options: StreamReadOptions = {},
  ): Promise<StreamChunk<S>> {
    return readFileStream((await this.folder(run)).dir, stream, options);
  }

  async openRowBytes(run: RunRef, stream: RowStream): Promise<RowBytesReader> {
    return openFileRowBytes((await this.folder(run)).dir, stream);
  }

  async streamSize(run: RunRef, stream: StreamName): Promise<number> {
    const path = streamFile((await this.folder(run)).dir, stream);
    return (await stat(path).catch(() => undefined))?.size ?? 0;
  }

  async historyOutline(run: RunRef): Promise<HistoryOutlineData | undefined> {
    return this.outlines.get((await this.folder(run)).dir);
  }

  async readHistoryRows(run: RunRef, query: HistoryRowsQuery): Promise<HistoryRow[]> {
    const { positions = [], steps = [] } = query ?? {};
    if (![...positions, ...steps].every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw new InvalidValueError('positions and steps must be numbers', 'INVALID_ARGUMENT');
    }
    return this.outlines.readRows((await this.folder(run)).dir, { positions, steps });
  }

  async readHistoryRange(run: RunRef, minStep: number, maxStep: number): Promise<HistoryRow[]> {
    if (typeof minStep !== 'number' || typeof maxStep !== 'number' || Number.isNaN(minStep) || Number.isNaN(maxStep)) {
      throw new InvalidValueError('minStep and maxStep must be numbers', 'INVALID_ARGUMENT');
    }
    return this.outlines.readRange((await this.folder(run)).dir, minStep, maxStep);
  }

  async listFiles(run: RunRef): Promise<StoreFile[]> {
    return listRunFiles((await this.folder(run)).dir);
  }

  async readFile(run: RunRef, name: string, options?: FileReadOptions): Promise<FileChunk> {
    const folder = await this.folder(run);
    return readRunFile(folder.dir, `${run.project}/${run.id}`, name, options);
  }

  artifactCollections(project?: string): Promise<CollectionInfo[]> {
    if (project !== undefined) assertSafeName('project', project);
    return this.artifacts.listCollections(project);
  }

  artifactVersions(project: string, name: string): Promise<VersionInfo[]> {
    return this.artifacts.listVersions(project, name);
  }

  async artifactVersion(ref: string): Promise<ArtifactVersionData> {
    const artifact = await this.artifacts.resolve(ref);
    const { project, name, versionIndex } = artifact as { project: string; name: string; versionIndex: number };
    const versions = await this.artifacts.listVersions(project, name);
    const info = versions.find((v) => v.version === versionIndex);
    if (!info) throw new NotFoundError('ARTIFACT_NOT_FOUND', `no version ${ref}`);
    return { ...info, manifest: artifact.manifest };
  }

  artifactConsumers(ref: string): Promise<ConsumerRecord[]> {
    return this.artifacts.listConsumers(ref);
  }

  async readArtifactFile(ref: string, entry: string, options?: FileReadOptions): Promise<FileChunk> {
    const { manifest } = await this.artifactVersion(ref);
    const stored = Object.hasOwn(manifest.entries, entry) ? manifest.entries[entry] : undefined;
    if (!stored) throw new NotFoundError('ARTIFACT_NOT_FOUND', `${ref} has no file ${JSON.stringify(entry)}`);
    if (stored.ref !== null || !stored.digest) {
      throw new InvalidValueError(
        `${ref}: ${entry} is a reference (${stored.ref}), not a stored file`,
        'INVALID_ARGUMENT',
      );
    }
    // The object store is read like a run folder: the digest names the file inside it.
    const objects = storePaths.objects(this.dir);
    const name = `${stored.digest.slice(0, 2)}/${stored.digest.slice(2)}`;
    return { ...(await readRunFile(objects, ref, name, options)), name: entry };
  }

  /** The folder of a run (names checked; the folder may not exist). */
  private runFolder(run: RunRef): RunFolder {
    if (run === null || typeof run !== 'object') {
      throw new InvalidValueError('a run is { project, id }', 'INVALID_ARGUMENT');
    }
    assertSafeName('project', run.project);
    assertSafeName('run id', run.id);
    return { project: run.project, id: run.id, dir: storePaths.run(this.dir, run.project, run.id) };
  }

  /** A run's folder, checked to exist (RUN_NOT_FOUND, naming the known projects when the project is unknown). */
  private async folder(run: RunRef): Promise<RunFolder> {
    const folder = this.runFolder(run);
    if ((await stat(folder.dir).catch(() => undefined))?.isDirectory()) {
      await this.assertRealFolder(folder);
      return folder;
    }
    await this.assertProject(folder.project);
    throw new NotFoundError('RUN_NOT_FOUND', `run ${run.project}/${run.id} not found`);
  }

  /**
   * Refuses a run folder reached through a symbolic link below the store (the project, its runs folder or the run
   * folder itself), wherever the link points: listings skip such folders, so reads by name must too, or a link
   * planted in the store would serve files from anywhere. The store root itself may be a link.
   */
  private async assertRealFolder(folder: RunFolder): Promise<void> {
    const [real, realStore] = await Promise.all([
      realpath(folder.dir).catch(() => undefined),
      realpath(this.dir).catch(() => undefined),
    ]);
    if (real !== undefined && realStore !== undefined && real === storePaths.run(realStore, folder.project, folder.id))
      return;
    throw new NotFoundError(
      'RUN_NOT_FOUND',
      `run ${folder.project}/${folder.id} not found: its folder is reached through a symbolic link, and runlog reads only real folders inside the store`,
    );
  }

  private async assertProject(project: string): Promise<void> {
    const info = await stat(storePaths.project(this.dir, project)).catch(() => undefined);
    if (info?.isDirectory()) return;
    const known = (await this.projects()).map((p) => p.name);
    throw new NotFoundError(
      'RUN_NOT_FOUND',
      `project ${JSON.stringify(project)} not found in ${this.dir}${known.length ? ` (projects: ${known.join(', ')})` : ' (the store is empty)'}`,
    );
  }
}

async function countDirs(path: string): Promise<number | undefined> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).length;
  } catch {
    return undefined;
  }
}
