import { open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { FileChunk, FileReadOptions, StoreFile } from '../access/storeFile.js';
import { InvalidValueError, NotFoundError } from '../errors/runlogError.js';
import { readFully } from '../jsonLines/lineBytes.js';

/** Bytes `readRunFile` returns at most per call. */
export const MAX_FILE_CHUNK = 8 << 20;

const TEMP_FILE = /\.tmp-\d+-[0-9a-f]+$/;

/** Every file in a run folder (run.json, history.jsonl, media/..., files/...), sorted by name; temp files left out. */
export async function listRunFiles(runDir: string): Promise<StoreFile[]> {
  const entries = await readdir(runDir, { recursive: true, withFileTypes: true });
  const files: StoreFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || TEMP_FILE.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => undefined); // removed while listing
    if (info) files.push(storeFile(runDir, path, info));
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The absolute path of a file named relative to a run folder. Refused (INVALID_ARGUMENT): names that are absolute,
 * hold `..` or NUL, or resolve through a symbolic link to outside the folder. RUN_NOT_FOUND when there is no
 * such file.
 */
export async function runFilePath(runDir: string, runPath: string, name: string): Promise<string> {
  if (
    typeof name !== 'string' ||
    name === '' ||
    name.includes('\0') ||
    isAbsolute(name) ||
    /^[A-Za-z]:/.test(name) ||
    normalize(name).split(/[\\/]/).includes('..')
  ) {
    throw new InvalidValueError(
      `file name ${JSON.stringify(name)} must be a path inside the run folder`,
      'INVALID_ARGUMENT',
    );
  }
  const path = join(runDir, name);
  const missing = () =>
    new NotFoundError('RUN_NOT_FOUND', `run ${runPath} has no file ${JSON.stringify(name)}; run.files() lists them`);
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(path), realpath(runDir)]);
  } catch {
    throw missing();
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new InvalidValueError(`file ${JSON.stringify(name)} links outside the run folder`, 'INVALID_ARGUMENT');
  }
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) throw missing();
  return real;
}

/** Bytes of a run file from `offset`, at most MAX_FILE_CHUNK per call. */
export async function readRunFile(
  runDir: string,
  runPath: string,
  name: string,
  options: FileReadOptions = {},
): Promise<FileChunk> {
  const offset = options.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidValueError(`offset must be a byte offset (>= 0), got ${offset}`, 'INVALID_ARGUMENT');
  }
  const length = options.length ?? MAX_FILE_CHUNK;
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidValueError(`length must be a byte count (>= 0), got ${length}`, 'INVALID_ARGUMENT');
  }
  const path = await runFilePath(runDir, runPath, name);
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    const count = Math.max(0, Math.min(length, MAX_FILE_CHUNK, info.size - offset));
    const bytes = Buffer.allocUnsafe(count);
    const read = await readFully(handle, bytes, 0, count, offset);
    return { ...storeFile(runDir, join(runDir, name), info), offset, bytes: bytes.subarray(0, read) };
  } finally {
    await handle.close();
  }
}

export function storeFile(runDir: string, path: string, info: { size: number; mtime: Date }): StoreFile {
  return { name: relative(runDir, path).split(sep).join('/'), size: info.size, updatedAt: info.mtime.toISOString() };
}
