import type { PendingRunOptions, ProjectInfo } from '../access/runData.js';
import type { ArtifactVersionData, StoreAccess } from '../access/storeAccess.js';
import type { FileChunk, FileReadOptions } from '../access/storeFile.js';
import type { Artifact } from '../artifacts/artifact.js';
import { parseArtifactRef } from '../artifacts/artifactNames.js';
import { resolveArtifact } from '../artifacts/storeQueries.js';
import type { CollectionInfo, ConsumerRecord, VersionInfo } from '../artifacts/versionRecord.js';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { FileStoreAccess } from '../fileAccess/fileStoreAccess.js';
import { RemoteStoreAccess } from '../remote/remoteStoreAccess.js';
import { assertSafeName } from '../storage/storePaths.js';
import { RunList, type RunsOptions } from './runList.js';
import { RunView } from './runView.js';

export type { PendingRunOptions, ProjectInfo };

export interface ApiOptions {
  /** The store root; default $RUNLOG_DIR, else ./runlog (as init()). */
  dir?: string;
  /** Read through this store access instead of a local folder (a server's, or a wrapper around one). */
  access?: StoreAccess;
  /**
   * A runlog server's URL (`http://127.0.0.1:8080`) to read instead of a local folder; several replicas as a
   * list or comma-separated (a request that cannot reach one goes to the next).
   */
  host?: string | readonly string[];
  /** The server's API token (with `host`); default $RUNLOG_API_KEY. Edits need the write role. */
  apiKey?: string;
}

/**
 * Reads a runlog store: wandb's public `Api`. Reading never changes anything. Every read goes through the
 * store-access seam (`StoreAccess`): a local folder by default, a runlog server with `host`.
 * @example
 * const api = new Api({ dir: './runlog' });
 * const best = await api.runs('digits', { filters: { state: 'finished' }, order: '-summary.val/acc' }).toArray();
 * console.log(best[0]?.name, best[0]?.summary['val/acc']);
 * const team = new Api({ host: 'http://runlog.internal:8080', apiKey: process.env.RUNLOG_API_KEY });
 */
export class Api {
  /** Where the store is: the absolute store root of a local store, or the server's URL. */
  readonly dir: string;
  /** The store access every read goes through. */
  readonly access: StoreAccess;

  constructor(options: ApiOptions = {}) {
    if (options.host !== undefined && (options.access !== undefined || options.dir !== undefined)) {
      throw new RunlogError('INVALID_ARGUMENT', 'give one of host, dir or access, not several');
    }
    this.access =
      options.access ??
      (options.host !== undefined
        ? new RemoteStoreAccess({ host: options.host, apiKey: options.apiKey })
        : new FileStoreAccess(options.dir));
    this.dir = this.access.location;
  }

  /** The projects in the store, by name. */
  projects(): Promise<ProjectInfo[]> {
    return this.access.projects();
  }

  /**
   * Runs of one project (or of every project), filtered and ordered; see RunFilter and RunOrder.
   * A bad filter or order throws FILTER_INVALID here; an unknown project rejects when the list is read.
   */
  runs(projectPath?: string, options: RunsOptions = {}): RunList {
    // wandb's "entity/project": local stores have no entity, so it is accepted and ignored.
    const project = projectPath?.includes('/') ? projectPath.split('/').slice(-1)[0] : projectPath;
    if (project !== undefined) assertSafeName('project', project);
    return new RunList(this.access, { project, filters: options.filters, order: options.order }, options);
  }

  /**
   * One run by its path, `project/id` (or wandb's `entity/project/id`: the entity is ignored, local runs have
   * none). Unknown project or run: NotFoundError (RUN_NOT_FOUND).
   */
  async run(path: string): Promise<RunView> {
    const parts = typeof path === 'string' ? path.split('/') : [];
    if (parts.length !== 2 && parts.length !== 3) {
      throw new InvalidValueError(
        `a run path is "project/id" or "entity/project/id", got ${JSON.stringify(path)}`,
        'INVALID_ARGUMENT',
      );
    }
    if (parts.length === 3) assertSafeName('entity', parts[0]); // accepted, then ignored
    const [project, id] = parts.slice(-2);
    assertSafeName('project', project);
    assertSafeName('run id', id);
    return new RunView(await this.access.readRun({ project, id }), this.access);
  }

  /**
   * Creates a pending run (wandb's `Run.create`): only its run document, for a scheduler that starts it later
   * with `init({ project, id, resume: 'must' })`.
   */
  async createRun(options: PendingRunOptions): Promise<RunView> {
    const state = (options as { state?: unknown } | undefined)?.state;
    if (state !== undefined && state !== 'pending')
      throw new InvalidValueError(
        `createRun() makes pending runs only (got state ${JSON.stringify(state)}): a local run becomes running ` +
          "only through init(), the process that writes its history and heartbeat; start this one later with init({ project, id, resume: 'must' })",
        'INVALID_ARGUMENT',
      );
    return new RunView(await this.access.createRun(options), this.access);
  }

  /**
   * An artifact version as an Artifact object, read-only (local stores): `project/name:alias`, `project/name:v3`
   * or `project/name:<digest>`. `artifactVersion()` reads the same version as plain data from any store.
   */
  async artifact(ref: string): Promise<Artifact> {
    if (!(this.access instanceof FileStoreAccess)) {
      throw new RunlogError(
        'INVALID_ARGUMENT',
        `artifact objects come from a local store; use artifactVersion(${JSON.stringify(ref)})`,
      );
    }
    return resolveArtifact(this.access.dir, ref);
  }

  /** One artifact version with its aliases and manifest, as plain data. */
  artifactVersion(ref: string): Promise<ArtifactVersionData> {
    return this.access.artifactVersion(ref);
  }

  /** Every version of an artifact collection (`project/name`), oldest first, with their aliases. */
  async artifactVersions(collection: string): Promise<VersionInfo[]> {
    const { project, name } = parseArtifactRef(collection);
    return this.access.artifactVersions(project, name);
  }

  /** The artifact collections of one project, or of every project. */
  artifactCollections(project?: string): Promise<CollectionInfo[]> {
    return this.access.artifactCollections(project);
  }

  /**
   * Bytes of one stored file of an artifact version (its manifest entry name), from any store: at most 8 MiB
   * per call, read on from `offset + bytes.length` up to `size`.
   */
  artifactFile(ref: string, entry: string, options?: FileReadOptions): Promise<FileChunk> {
    return this.access.readArtifactFile(ref, entry, options);
  }

  /** The runs that used an artifact version (lineage downstream). */
  artifactConsumers(ref: string): Promise<ConsumerRecord[]> {
    return this.access.artifactConsumers(ref);
  }
}
