import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidValueError } from '../errors/runlogError.js';

/** A resolved `save()` call: the absolute glob, the folder its matches are kept relative to, and that glob. */
export interface SaveSpec {
  glob: string;
  basePath: string;
  /** The glob relative to basePath: where matches go under files/. */
  relativeGlob: string;
}

/**
 * wandb's path rules for `save(glob, { basePath })`: a relative glob is relative to the working directory;
 * basePath must be a prefix of the glob, and what is under files/ is the path relative to it; without basePath
 * a relative glob keeps its folders from the working directory, an absolute one keeps one folder level
 * (`/tmp/x/run123/*.txt` -> `run123/...`).
 */
export function resolveSave(glob: string, basePath: string | undefined, cwd = process.cwd()): SaveSpec {
  const absoluteGlob = resolve(cwd, glob);
  let base: string;
  if (basePath !== undefined) {
    if (typeof basePath !== 'string' || basePath.length === 0)
      throw new InvalidValueError('save(): basePath must be a non-empty string', 'INVALID_ARGUMENT');
    base = resolve(cwd, basePath);
  } else base = isAbsolute(glob) ? dirname(dirname(absoluteGlob)) : resolve(cwd);
  const relativeGlob = relative(base, absoluteGlob);
  if (relativeGlob === '')
    throw new InvalidValueError(`save(): the glob ${glob} is the base path itself; name files`, 'INVALID_ARGUMENT');
  if (relativeGlob.startsWith('..') || isAbsolute(relativeGlob))
    throw new InvalidValueError(
      `save(): basePath ${basePath} is not a prefix of the glob ${glob}; pass a basePath the glob starts with`,
      'INVALID_ARGUMENT',
    );
  if (relativeGlob.split(sep)[0] === '*')
    throw new InvalidValueError(
      `save(): the glob ${glob} may not start with '*' relative to the base path (wandb's rule)`,
      'INVALID_ARGUMENT',
    );
  return { glob: absoluteGlob, basePath: base, relativeGlob };
}

/** The files matching a save glob now (wandb expands it once, when save() is called), skipping `skipDir`. */
export async function matchSave(spec: SaveSpec, skipDir: string): Promise<string[]> {
  const { default: picomatch } = await import('picomatch');
  const scan = picomatch.scan(spec.glob);
  if (!scan.isGlob) return (await isFile(spec.glob)) ? [spec.glob] : [];
  // As Python's glob: '*' does not match a leading dot. Walk no deeper than the glob reaches.
  const matches = picomatch(spec.glob, { dot: false });
  const maxDepth = scan.glob.includes('**') ? Number.POSITIVE_INFINITY : scan.glob.split('/').length;
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && full !== skipDir) await walk(full, depth + 1);
      } else if ((entry.isFile() || (entry.isSymbolicLink() && (await isFile(full)))) && matches(full))
        found.push(full);
    }
  };
  await walk(scan.base || '/', 1);
  return found.sort();
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
