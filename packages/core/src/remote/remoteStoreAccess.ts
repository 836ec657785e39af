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
import { STREAM_NAMES, type StreamChunk, type StreamName, type StreamReadOptions } from '../access/streamChunk.js';
import { compileRunFilter } from '../api/runFilter.js';
import { compileRunOrder } from '../api/runOrder.js';
import { parseArtifactRef } from '../artifacts/artifactNames.js';
import type { CollectionInfo, ConsumerRecord, VersionInfo } from '../artifacts/versionRecord.js';
import { InvalidValueError } from '../errors/runlogError.js';
import { assertSafeName } from '../storage/storePaths.js';
import type { MetricDefinition } from '../summary/metricDefinition.js';
import { encodeJson } from '../values/jsonCodec.js';
import { type OutlineAnswer, outlineFromAnswer } from './outlineWire.js';
import { RemoteHttp, type RemoteOptions } from './remoteHttp.js';

const enc = encodeURIComponent;

/** A run's endpoint, its names checked first: nothing is sent for an unsafe name. */
function runPath(run: RunRef): string {
  assertSafeName('project', run.project);
  assertSafeName('run id', run.id);
  return `/api/v1/projects/${enc(run.project)}/runs/${enc(run.id)}`;
}

/** A file name inside a run: relative, no `..`, no NUL (as the local store refuses them). */
function checkFileName(name: string): string {
  if (
    typeof name !== 'string' ||
    name === '' ||
    name.includes('\0') ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new InvalidValueError(
      `file name ${JSON.stringify(name)} must be a path inside the run folder`,
      'INVALID_ARGUMENT',
    );
  }
  return name.split('/').map(enc).join('/');
}

/** A file's bytes and what the server says about it in its headers. */
async function fileChunk(response: Response, name: string): Promise<FileChunk> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    name,
    size: Number(response.headers.get('x-runlog-size') ?? bytes.length),
    updatedAt: response.headers.get('x-runlog-updated-at') ?? new Date(0).toISOString(),
    offset: Number(response.headers.get('x-runlog-offset') ?? 0),
    bytes,
  };
}

/**
 * The store-access seam over a runlog server's HTTP API (docs/SERVER.md, "Read API"): what `new Api({ host })`
 * reads through. Names, filters and orders are checked here first with the local rules, so a mistake is the
 * same RunlogError as on a local store and no request is sent for it; the server checks them again.
 * @example
 * const access = new RemoteStoreAccess({ host: 'http://127.0.0.1:8080', apiKey: process.env.RUNLOG_API_KEY });
 * const { runs } = await access.listRuns({ project: 'digits', filters: { state: 'finished' } });
 */
export class RemoteStoreAccess implements StoreAccess {
  readonly http: RemoteHttp;

  constructor(options: RemoteOptions) {
    this.http = new RemoteHttp(options);
  }

  get location(): string {
    return this.http.host;
  }

  async projects(): Promise<ProjectInfo[]> {
    return this.http.json('/api/v1/projects');
  }

  async listRuns(query: RunQuery = {}): Promise<RunListing> {
    if (query.project !== undefined) assertSafeName('project', query.project);
    compileRunFilter(query.filters);
    compileRunOrder(query.order);
    return this.http.json('/api/v1/runs', {
      query: {
        project: query.project,
        filters: query.filters === undefined ? undefined : encodeJson(query.filters),
        order: query.order === undefined ? undefined : JSON.stringify(query.order),
      },
    });
  }

  async readRun(run: RunRef): Promise<RunData> {
    return this.http.json(runPath(run));
  }

  async metricDefinitions(run: RunRef): Promise<MetricDefinition[]> {
    return this.http.json(`${runPath(run)}/metric-definitions`);
  }

  async createRun(options: PendingRunOptions): Promise<RunData> {
    assertSafeName('project', options.project);
    if (options.id !== undefined) assertSafeName('run id', options.id);
    return this.http.json(`/api/v1/projects/${enc(options.project)}/runs`, { method: 'POST', body: options });
  }

  async updateRun(run: RunRef, patch: RunPatch): Promise<RunData> {
    return this.http.json(runPath(run), { method: 'PATCH', body: patch });
  }

  async setRunState(run: RunRef, state: 'pending' | 'failed'): Promise<RunData> {
    return this.http.json(`${runPath(run)}/state`, { method: 'POST', body: { state } });
  }

  async deleteRun(run: RunRef, options: DeleteRunOptions = {}): Promise<void> {
    await this.http.fetch(runPath(run), {
      method: 'DELETE',
      query: { force: options.force ? 1 : undefined, deleteArtifacts: options.deleteArtifacts ? 1 : undefined },
    });
  }

  async readStream<S extends StreamName>(
    run: RunRef,
    stream: S,
    options: StreamReadOptions = {},
  ): Promise<StreamChunk<S>> {
    const path = runPath(run);
    if (!STREAM_NAMES.includes(stream)) {
      throw new InvalidValueError(
        `stream must be one of ${STREAM_NAMES.join(', ')}, got ${JSON.stringify(stream)}`,
        'INVALID_ARGUMENT',
      );
    }
    return this.http.json(`${path}/streams/${stream}`, {
      query: {
        offset: options.offset,
        last: options.last,
        minStep: options.minStep,
        maxBytes: options.maxBytes,
        keys: options.keys === undefined ? undefined : JSON.stringify(options.keys),
      },
    });
  }

  async streamSize(run: RunRef, stream: StreamName): Promise<number> {
    const path = runPath(run);
    if (!STREAM_NAMES.includes(stream)) {
      throw new InvalidValueError(`stream must be one of ${STREAM_NAMES.join(', ')}`, 'INVALID_ARGUMENT');
    }
    return (await this.http.json<{ size: number }>(`${path}/streams/${stream}/size`)).size;
  }

  async historyOutline(run: RunRef): Promise<HistoryOutlineData | undefined> {
    const { outline } = await this.http.json<{ outline: OutlineAnswer | null }>(`${runPath(run)}/history/outline`, {
      query: { format: 'compact' },
    });
    return outline ? outlineFromAnswer(outline) : undefined;
  }

  async readHistoryRows(run: RunRef, query: HistoryRowsQuery): Promise<Record<string, unknown>[]> {
    const body = { positions: query.positions ?? [], steps: query.steps ?? [] };
    return (
      await this.http.json<{ rows: Record<string, unknown>[] }>(`${runPath(run)}/history/rows`, {
        method: 'POST',
        body,
      })
    ).rows;
  }

  async readHistoryRange(run: RunRef, minStep: number, maxStep: number): Promise<Record<string, unknown>[]> {
    const query = { minStep, maxStep };
    return (await this.http.json<{ rows: Record<string, unknown>[] }>(`${runPath(run)}/history/range`, { query })).rows;
  }

  async listFiles(run: RunRef): Promise<StoreFile[]> {
    return this.http.json(`${runPath(run)}/files`);
  }

  async readFile(run: RunRef, name: string, options: FileReadOptions = {}): Promise<FileChunk> {
    const path = `${runPath(run)}/files/${checkFileName(name)}`;
    const response = await this.http.fetch(path, { query: { offset: options.offset, length: options.length } });
    return fileChunk(response, name);
  }

  async artifactCollections(project?: string): Promise<CollectionInfo[]> {
    if (project !== undefined) assertSafeName('project', project);
    return this.http.json('/api/v1/artifacts', { query: { project }, notFound: 'ARTIFACT_NOT_FOUND' });
  }

  async artifactVersions(project: string, name: string): Promise<VersionInfo[]> {
    assertSafeName('project', project);
    assertSafeName('artifact name', name);
    return this.http.json(`/api/v1/projects/${enc(project)}/artifacts/${enc(name)}/versions`, {
      notFound: 'ARTIFACT_NOT_FOUND',
    });
  }

  async artifactVersion(ref: string): Promise<ArtifactVersionData> {
    return this.http.json(versionPath(ref), { notFound: 'ARTIFACT_NOT_FOUND' });
  }

  async artifactConsumers(ref: string): Promise<ConsumerRecord[]> {
    return this.http.json(`${versionPath(ref)}/consumers`, { notFound: 'ARTIFACT_NOT_FOUND' });
  }

  /** Bytes of one file of an artifact version (by its manifest entry name), by range as `readFile`. */
  async readArtifactFile(ref: string, entry: string, options: FileReadOptions = {}): Promise<FileChunk> {
    const path = `${versionPath(ref)}/files/${checkFileName(entry)}`;
    const response = await this.http.fetch(path, {
      query: { offset: options.offset, length: options.length },
      notFound: 'ARTIFACT_NOT_FOUND',
    });
    return fileChunk(response, entry);
  }
}

/** `project/name:selector` as its version endpoint. */
function versionPath(ref: string): string {
  const { project, name, selector } = parseArtifactRef(ref);
  const text =
    selector.kind === 'version'
      ? `v${selector.version}`
      : selector.kind === 'digest'
        ? selector.digest
        : selector.alias;
  return `/api/v1/projects/${enc(project)}/artifacts/${enc(name)}/versions/${enc(text)}`;
}
