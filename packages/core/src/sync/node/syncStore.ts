import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { RunlogError } from '../../errors/runlogError.js';
import { resolveStoreDir } from '../../storage/storePaths.js';
import { syncArtifactVersions } from '../artifactSync.js';
import { type RunSource, type RunSyncOptions, type RunSyncReport, syncRun } from '../runSync.js';
import { type RetryEvent, SyncTransport, type SyncTransportOptions } from '../syncTransport.js';
import { projectVersionSources } from './artifactSources.js';
import { runFolderSource } from './runFolderSource.js';

const gzipAsync = promisify(gzip);

export interface SyncStoreOptions extends Omit<SyncTransportOptions, 'onRetry'>, RunSyncOptions {
  /** The local store (default $RUNLOG_DIR or ./runlog). */
  dir?: string;
  /** Runs to sync: `project/id`, an id, or a run folder's path. */
  runs?: string[];
  /** Every run of the store, and every artifact version of its projects. */
  all?: boolean;
  /** Told when a run starts (for a progress line). */
  onRun?: (run: { project: string; runId: string; state: string }, index: number, total: number) => void;
  onRetry?: (event: RetryEvent) => void;
}

export interface SyncStoreReport {
  runs: (RunSyncReport & { state: string })[];
  /** Artifact versions synced on their own (`all`: those no synced run's lineage named). */
  artifacts: { versions: number; created: number; sentBytes: number; retries: number };
}

interface RunLocation {
  store: string;
  project: string;
  runId: string;
}

/**
 * `runlog sync`: copies runs of a local store (finished, crashed or still running) and their artifacts to a
 * runlog server, resuming from what the server has, so that running it again sends nothing new.
 * @example
 * const report = await syncStore({ runs: ['mnist/a1b2c3d4'], hosts: ['http://127.0.0.1:8080'], apiKey });
 */
export async function syncStore(options: SyncStoreOptions): Promise<SyncStoreReport> {
  const store = resolveStoreDir(options.dir);
  const locations = options.all
    ? await allRuns(store)
    : await Promise.all((options.runs ?? []).map((r) => locate(store, r)));
  if (!options.all && locations.length === 0) {
    throw new RunlogError('INVALID_ARGUMENT', 'name the runs to sync, or pass --all');
  }
  const runOptions: RunSyncOptions = {
    compress: async (bytes) => ({ bytes: await gzipAsync(bytes, { level: 1 }), encoding: 'gzip' }),
    ...options,
  };
  const report: SyncStoreReport = { runs: [], artifacts: { versions: 0, created: 0, sentBytes: 0, retries: 0 } };
  const synced = new Set<string>(); // artifact versions already put, by project/name:vN
  for (const [index, location] of locations.entries()) {
    const transport = new SyncTransport(options);
    const source = await runFolderSource(location.store, location.project, location.runId);
    options.onRun?.({ project: location.project, runId: location.runId, state: source.state }, index, locations.length);
    const once: RunSource = { ...source, artifacts: async () => onlyNew(await source.artifacts(), synced) };
    report.runs.push({ ...(await syncRun(transport, once, runOptions)), state: source.state });
  }
  if (options.all) {
    const transport = new SyncTransport(options);
    const projects = [...new Set(locations.map((l) => l.project)), ...(await projectsWithArtifacts(store))];
    for (const project of new Set(projects)) {
      const versions = onlyNew(await projectVersionSources(store, project), synced);
      if (versions.length === 0) continue;
      const artifacts = await syncArtifactVersions(transport, versions, {
        concurrency: options.blobConcurrency,
        directLimit: options.blobDirectLimit,
      });
      report.artifacts.versions += artifacts.versions;
      report.artifacts.created += artifacts.created;
      report.artifacts.sentBytes += artifacts.blobs.sentBytes;
    }
    report.artifacts.retries = transport.retries;
  }
  return report;
}

function onlyNew<T extends { project: string; name: string; localVersion: number }>(
  items: T[],
  seen: Set<string>,
): T[] {
  return items.filter((v) => {
    const key = `${v.project}/${v.name}:v${v.localVersion}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function allRuns(store: string): Promise<RunLocation[]> {
  const out: RunLocation[] = [];
  for (const project of await listDirs(store)) {
    for (const runId of await listDirs(join(store, project, 'runs'))) {
      if (existsSync(join(store, project, 'runs', runId, 'run.json'))) out.push({ store, project, runId });
    }
  }
  return out;
}

async function projectsWithArtifacts(store: string): Promise<string[]> {
  const projects = await listDirs(store);
  return projects.filter((p) => existsSync(join(store, p, 'artifacts')));
}

async function listDirs(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'objects')
    .map((e) => e.name)
    .sort();
}

/** A run named on the command line: a run folder's path, `project/id`, or an id unique in the store. */
async function locate(store: string, ref: string): Promise<RunLocation> {
  const folder = resolve(ref);
  if (existsSync(join(folder, 'run.json')) && statSync(folder).isDirectory()) {
    return {
      store: dirname(dirname(dirname(folder))),
      project: basename(dirname(dirname(folder))),
      runId: basename(folder),
    };
  }
  const [project, runId] = ref.split('/');
  if (runId !== undefined && existsSync(join(store, project, 'runs', runId, 'run.json')))
    return { store, project, runId };
  const matches = (await allRuns(store)).filter((r) => r.runId === ref);
  if (matches.length === 1) return matches[0];
  throw new RunlogError(
    'RUN_NOT_FOUND',
    matches.length > 1
      ? `${JSON.stringify(ref)} names ${matches.length} runs; use project/id`
      : `no run ${JSON.stringify(ref)} in ${store}`,
  );
}
