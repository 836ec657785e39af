import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Api, init, NotFoundError } from '@runlog/core';
import { atomicWriteJson } from '@runlog/core/internal';
import { HPARAMS_STATUS } from '../proto/fieldNumbers.js';
import type { HparamValue } from '../proto/hparamsProto.js';
import { EventSource } from './eventSource.js';
import { addStats, emptyStats, type ImportStats } from './importStats.js';
import type { RunFolder } from './runFolders.js';
import { StepRows } from './stepRows.js';

export interface ImportRunOptions {
  project: string;
  /** The store; default $RUNLOG_DIR or ./runlog. */
  dir?: string;
  /** Bytes of event files read so far in this run. */
  onBytes?: (bytes: number) => void;
}

export interface ImportedRun {
  /** The run's folder relative to the logdir. */
  name: string;
  /** `project/id` of the runlog run. */
  path: string;
  /** imported: new; replaced: the event files changed since the last import; unchanged: already imported. */
  status: 'imported' | 'replaced' | 'unchanged';
  /** History rows written (one per step). */
  rows: number;
  stats: ImportStats;
}

/** Where an imported run records which event files (and sizes) it came from, to recognise them next time. */
export const SOURCE_FILE = 'files/tensorboard-source.json';

interface SourceRecord {
  run: string;
  files: Array<{ path: string; size: number }>;
}

async function sourceRecord(folder: RunFolder): Promise<SourceRecord> {
  const files: SourceRecord['files'] = [];
  for (const source of folder.sources) {
    for (const name of await new EventSource(source.folder, source.prefix).files()) {
      const path = join(source.folder, name);
      files.push({ path: relative(folder.root, path).split('\\').join('/'), size: (await stat(path)).size });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { run: folder.name, files };
}

function sameRecord(storedText: string, record: SourceRecord): boolean {
  try {
    return JSON.stringify(JSON.parse(storedText)) === JSON.stringify(record);
  } catch {
    return false; // a damaged record: import again
  }
}

/**
 * The runlog id of a TensorBoard run: a hash of its folder's name in the logdir and its first event file's name
 * (a writer's start time, host and pid), so importing the same logdir again finds the same run, even when the
 * writer has added files since.
 */
function runId(folder: RunFolder, record: SourceRecord): string {
  const names = record.files.map((file) => file.path.split('/').at(-1) as string).sort();
  return `tb-${createHash('sha256')
    .update(`${folder.name}\0${names[0] ?? ''}`)
    .digest('hex')
    .slice(0, 16)}`;
}

/**
 * Imports one TensorBoard run (a folder of event files and its Keras-style split subfolders) as a runlog run:
 * scalars, histograms, images and text into history at their steps (several tags at one step make one row), the
 * hparams plugin's hyperparameters into config, a failed session as a failed run. A run imported before from the
 * same files is left as it is; one whose files changed since is imported again in its place.
 */
export async function importRun(folder: RunFolder, options: ImportRunOptions): Promise<ImportedRun> {
  const record = await sourceRecord(folder);
  const id = runId(folder, record);
  const path = `${options.project}/${id}`;
  const api = new Api({ dir: options.dir });
  const existing = await api.run(path).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  let status: ImportedRun['status'] = 'imported';
  if (existing) {
    const stored = await existing.access
      .readFile({ project: existing.project, id: existing.id }, SOURCE_FILE)
      .then((file) => new TextDecoder().decode(file.bytes))
      .catch(() => 'null');
    if (sameRecord(stored, record)) {
      options.onBytes?.(record.files.reduce((sum, file) => sum + file.size, 0));
      return { name: folder.name, path, status: 'unchanged', rows: 0, stats: emptyStats() };
    }
    await existing.delete({ force: true });
    status = 'replaced';
  }

  const rows = new StepRows();
  const config: Record<string, HparamValue> = {};
  let failed = false;
  const stats = emptyStats();
  for (const source of folder.sources) {
    const reader = new EventSource(source.folder, source.prefix);
    await reader.read(
      {
        value: (step, key, value) => rows.set(step, key, value),
        purge: (step, matches) => rows.purge(step, matches),
        hparams: (data) => {
          Object.assign(config, data.sessionStartInfo?.hparams);
          if (data.sessionEndInfo?.status === HPARAMS_STATUS.failure) failed = true;
        },
      },
      { final: true, onBytes: options.onBytes },
    );
    addStats(stats, reader.stats);
  }

  const run = await init({
    project: options.project,
    id,
    name: folder.name,
    dir: options.dir,
    config,
    tags: ['tensorboard'],
    notes: `Imported from the TensorBoard run ${folder.name} (${folder.root}).`,
    resume: 'never',
    settings: { console: false, systemMetrics: false, quiet: true, metadata: false, processHooks: false },
  });
  let written = 0;
  for (const [step, row] of rows.take()) {
    try {
      run.log(row, { step, commit: true });
      written++;
    } catch {
      stats.skipped['row refused'] = (stats.skipped['row refused'] ?? 0) + 1;
    }
  }
  await mkdir(join(run.dir, 'files'), { recursive: true });
  await atomicWriteJson(join(run.dir, SOURCE_FILE), record);
  await run.finish(failed ? 1 : 0);
  return { name: folder.name, path, status, rows: written, stats };
}
