import { readdir, stat } from 'node:fs/promises';
import type { Artifact } from '../artifacts/artifact.js';
import { parseArtifactRef } from '../artifacts/artifactNames.js';
import { listCollections, listVersions, resolveArtifact } from '../artifacts/storeQueries.js';
import type { CollectionInfo, VersionInfo } from '../artifacts/versionRecord.js';
import { InvalidValueError, NotFoundError } from '../errors/runlogError.js';
import { assertSafeName, resolveStoreDir, storePaths } from '../storage/storePaths.js';
import { type PendingRunOptions, writePendingRun } from './pendingRun.js';
import { RunList, type RunsOptions } from './runList.js';
import { loadRunSnapshot } from './runSnapshot.js';
import { RunView } from './runView.js';

export interface ApiOptions {
  /** The store root; default $RUNLOG_DIR, else ./runlog (as init()). */
  dir?: string;
}

export interface ProjectInfo {
  name: string;
  /** Run folders in the project. */
  runCount: number;
  /** Artifact collections in the project. */
  artifactCount: number;
}

/**
 * Reads a runlog store: wandb's public `Api`, local. Reading never changes a file.
 * @example
 * const api = new Api({ dir: './runlog' });
 * const best = await api.runs('digits', { filters: { state: 'finished' }, order: '-summary.val/acc' }).toArray();
 * console.log(best[0]?.name, best[0]?.summary['val/acc']);
 */
export class Api {
  /** Absolute store root. */
  readonly dir: string;

  constructor(options: ApiOptions = {}) {
    this.dir = resolveStoreDir(options.dir);
  }

  /** The projects in the store, by name. */
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

  /**
   * Runs of one project (or of every project), filtered and ordered; see RunFilter and RunOrder.
   * A bad filter or order throws FILTER_INVALID here; an unknown project rejects when the list is read.
   */
  runs(project?: string, options: RunsOptions = {}): RunList {
    if (project !== undefined) assertSafeName('project', project);
    const folders = async () => {
      if (project !== undefined) {
        await this.assertProject(project);
        return [{ project, runsDir: storePaths.runs(this.dir, project) }];
      }
      return (await this.projects()).map((p) => ({ project: p.name, runsDir: storePaths.runs(this.dir, p.name) }));
    };
    return new RunList(folders, options, this.dir);
  }

  /** One run by its path, `project/id`. Unknown project or run: NotFoundError (RUN_NOT_FOUND). */
  async run(path: string): Promise<RunView> {
    const parts = typeof path === 'string' ? path.split('/') : [];
    if (parts.length !== 2) {
      throw new InvalidValueError(`a run path is "project/id", got ${JSON.stringify(path)}`, 'INVALID_ARGUMENT');
    }
    const [project, id] = parts;
    assertSafeName('project', project);
    assertSafeName('run id', id);
    await this.assertProject(project);
    const snapshot = await loadRunSnapshot(storePaths.run(this.dir, project, id), project, id);
    return new RunView(snapshot, this.dir);
  }

  /**
   * Creates a pending run (wandb's `Run.create`): only its run.json, for a scheduler that starts it later with
   * `init({ project, id, resume: 'must' })`.
   */
  async createRun(options: PendingRunOptions): Promise<RunView> {
    const { dir, record } = await writePendingRun(this.dir, options);
    return new RunView(await loadRunSnapshot(dir, record.project, record.id), this.dir);
  }

  /** An artifact version, read-only: `project/name:alias`, `project/name:v3` or `project/name:<digest>`. */
  artifact(ref: string): Promise<Artifact> {
    return resolveArtifact(this.dir, ref);
  }

  /** Every version of an artifact collection (`project/name`), oldest first, with their aliases. */
  async artifactVersions(collection: string): Promise<VersionInfo[]> {
    const { project, name } = parseArtifactRef(collection);
    return listVersions(this.dir, project, name);
  }

  /** The artifact collections of one project, or of every project. */
  artifactCollections(project?: string): Promise<CollectionInfo[]> {
    return listCollections(this.dir, project);
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
