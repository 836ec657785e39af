import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { InvalidValueError, NotFoundError } from '../errors/runlogError.js';

/** A file in a run folder: its name relative to the folder (with `/`), absolute path, size and time. */
export interface RunFile {
  name: string;
  path: string;
  size: number;
  updatedAt: string;
}

const TEMP_FILE = /\.tmp-\d+-[0-9a-f]+$/;

/** Every file in a run folder (run.json, history.jsonl, media/..., files/...), sorted by name; temp files left out. */
export async function listRunFiles(runDir: string): Promise<RunFile[]> {
  const entries = await readdir(runDir, { recursive: true, withFileTypes: true });
  const files: RunFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || TEMP_FILE.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => undefined); // removed while listing
    if (info) files.push(toRunFile(runDir, path, info));
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One named file of a run folder; names that leave the folder are refused. */
export async function findRunFile(runDir: string, runPath: string, name: string): Promise<RunFile> {
  if (typeof name !== 'string' || name === '' || isAbsolute(name) || normalize(name).split(/[\\/]/).includes('..')) {
    throw new InvalidValueError(
      `file name ${JSON.stringify(name)} must be a path inside the run folder`,
      'INVALID_ARGUMENT',
    );
  }
  const path = join(runDir, name);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new NotFoundError(
      'RUN_NOT_FOUND',
      `run ${runPath} has no file ${JSON.stringify(name)}; run.files() lists them`,
    );
  }
  return toRunFile(runDir, path, info);
}

function toRunFile(runDir: string, path: string, info: { size: number; mtime: Date }): RunFile {
  return {
    name: relative(runDir, path).split(sep).join('/'),
    path,
    size: info.size,
    updatedAt: info.mtime.toISOString(),
  };
}
