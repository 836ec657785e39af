import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { effectiveState } from '../../run/liveness.js';
import { LIVE_STATES, type RunState } from '../../run/runState.js';
import { readJson } from '../../storage/readJson.js';
import { RUN_FILES } from '../../storage/storePaths.js';
import type { DocumentSource, RunFileSource, RunSource } from '../runSync.js';
import { type StreamSource, SYNC_STREAMS, type SyncStreamName } from '../streamSync.js';
import { artifactVersionSources } from './artifactSources.js';
import { fileBlob, readRange } from './fileRanges.js';

const DOCUMENTS = ['run.json', 'summary.json', 'metrics.json'] as const;

/**
 * A run folder of a local store as a sync source. The sizes of its streams are taken once, when the source is
 * made: a still-running run is sent up to there (in whole lines) and the next sync sends the rest.
 */
export async function runFolderSource(
  store: string,
  project: string,
  runId: string,
): Promise<RunSource & { state: RunState }> {
  const dir = join(store, project, 'runs', runId);
  const record = await readJson<{ state: RunState; pid?: number; host?: string }>(join(dir, RUN_FILES.run));
  if (!record) throw new Error(`${dir} has no run.json`);
  const state = effectiveState(dir, record);
  const documents: DocumentSource[] = [];
  for (const name of DOCUMENTS) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (!info) continue;
    documents.push({
      name,
      // mtime in ms, whole: a newer replace of the file has a larger one (docs/PROTOCOL.md, "Documents").
      seq: Math.floor(info.mtimeMs),
      read: async () => JSON.parse(await readFile(join(dir, name), 'utf8')),
    });
  }
  const streams: StreamSource[] = [];
  for (const [name, file] of Object.entries(SYNC_STREAMS) as [SyncStreamName, string][]) {
    const info = await stat(join(dir, file)).catch(() => undefined);
    if (info && info.size > 0) {
      streams.push({ name, size: info.size, read: (offset, length) => readRange(join(dir, file), offset, length) });
    }
  }
  return {
    project,
    runId,
    state,
    final: !LIVE_STATES.has(state) && state !== 'pending',
    documents,
    streams,
    files: (known) => runFiles(dir, known),
    artifacts: () => artifactVersionSources(store, join(dir, RUN_FILES.artifacts)),
  };
}

/**
 * Media and saved files. Media files are named by their content (docs/FORMAT.md, "Media"): one the server has
 * recorded under the same path is the same file and is not hashed again; saved files may change and are.
 */
async function runFiles(dir: string, known: Record<string, string>): Promise<RunFileSource[]> {
  const paths = await runBlobPaths(dir);
  const out: RunFileSource[] = [];
  for (const path of paths) {
    const reuse = path.startsWith(`${RUN_FILES.media}/`) ? known[path] : undefined;
    out.push({ path, ...(await fileBlob(join(dir, path), reuse)) });
  }
  return out;
}

/** The run folder's blob files (media, saved files) as run-relative paths; files being written (`.tmp-`) left out. */
export async function runBlobPaths(dir: string): Promise<string[]> {
  return [...(await walk(dir, RUN_FILES.media)), ...(await walk(dir, RUN_FILES.files))];
}

async function walk(root: string, relative: string): Promise<string[]> {
  const entries = await readdir(join(root, relative), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    const path = `${relative}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await walk(root, path)));
    else if (entry.isFile() && !entry.name.includes('.tmp-')) out.push(path);
  }
  return out;
}
