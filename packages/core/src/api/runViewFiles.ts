import { copyFile, mkdir, open, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { RunRef } from '../access/runData.js';
import type { StoreAccess } from '../access/storeAccess.js';
import type { StoreFile } from '../access/storeFile.js';
import { InvalidValueError } from '../errors/runlogError.js';

/** A file of a run: its name relative to the run (with `/`), size and time; `path` when the store is local. */
export interface RunFile extends StoreFile {
  /** Absolute path of the file, for a store on this machine (`new Api({ dir })`). */
  path?: string;
  /**
   * wandb's File.download: copies the file to `<root>/<name>` (root default '.') through the store access and
   * resolves to that path; an existing file is an error unless `replace`.
   */
  download(root?: string, options?: { replace?: boolean }): Promise<string>;
}

/** wandb's `files(names, pattern)`: only the names listed, and/or names matching a glob (`*.png`, `media/**`). */
export async function filterFiles<T extends StoreFile>(files: T[], names?: string[], pattern?: string): Promise<T[]> {
  if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string')))
    throw new InvalidValueError('files(names): names must be an array of strings', 'INVALID_ARGUMENT');
  if (pattern !== undefined && (typeof pattern !== 'string' || pattern.length === 0))
    throw new InvalidValueError('files(names, pattern): pattern must be a non-empty glob', 'INVALID_ARGUMENT');
  const wanted = names ? new Set(names) : undefined;
  const { default: picomatch } = await import('picomatch');
  const matches = pattern === undefined ? undefined : picomatch(pattern, { dot: true });
  return files.filter((f) => (!wanted || wanted.has(f.name)) && (!matches || matches(f.name)));
}

/** Gives a listed file its download(). */
export function withDownload<T extends StoreFile>(file: T, access: StoreAccess, run: RunRef): T & RunFile {
  return { ...file, download: (root = '.', options = {}) => downloadRunFile(access, run, file.name, root, options) };
}

async function downloadRunFile(
  access: StoreAccess,
  run: RunRef,
  name: string,
  root: string,
  options: { replace?: boolean },
): Promise<string> {
  const base = resolve(root);
  const target = resolve(base, name);
  if (!target.startsWith(base + sep))
    throw new InvalidValueError(`download: ${name} would land outside ${base}`, 'INVALID_ARGUMENT');
  await mkdir(dirname(target), { recursive: true });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(target, options.replace ? 'w' : 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new InvalidValueError(
        `download: ${target} exists; pass { replace: true } to overwrite it`,
        'INVALID_ARGUMENT',
      );
    throw error;
  }
  try {
    // Read in the store's chunks (at most 8 MiB each) so any store access, local or remote, can serve it.
    for (let offset = 0; ; ) {
      const chunk = await access.readFile(run, name, { offset });
      await handle.write(chunk.bytes);
      offset += chunk.bytes.length;
      if (chunk.bytes.length === 0 || offset >= chunk.size) break;
    }
  } finally {
    await handle.close();
  }
  return target;
}

/**
 * wandb's `upload_file(path, root)`: copies a local file into the run's files/ folder as its path relative to
 * `root` (default the working directory; a file outside root keeps its base name). Local stores only.
 */
export async function uploadRunFile(runDir: string, path: string, root = '.'): Promise<string> {
  if (typeof path !== 'string' || path.length === 0)
    throw new InvalidValueError('uploadFile(path): path must be a file path', 'INVALID_ARGUMENT');
  const source = resolve(path);
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new InvalidValueError(`uploadFile: no file at ${path}`, 'INVALID_ARGUMENT');
  let name = relative(resolve(root), source);
  if (name.startsWith('..') || isAbsolute(name)) name = source.split(sep).pop() as string;
  const target = join(runDir, 'files', name);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(source, target);
  return `files/${name.split(sep).join('/')}`;
}
