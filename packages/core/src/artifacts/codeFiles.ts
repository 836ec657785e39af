import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { ArtifactInvalidError } from './artifactErrors.js';
import { isInside } from './entryPath.js';

/** A filter: a predicate over the path relative to the root ('/'-separated), or glob patterns. */
export type PathFilter = ((relativePath: string) => boolean) | readonly string[];

/** What logCode collects unless told otherwise: JavaScript and TypeScript sources and package manifests. */
export const DEFAULT_CODE_INCLUDE: readonly string[] = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', '**/package.json'];
/** Folders never walked: dependencies, VCS data, build output and runlog/wandb stores. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'coverage',
  'runlog',
  'wandb',
  '.runlog',
]);

function toPredicate(filter: PathFilter | undefined, fallback: (path: string) => boolean): (path: string) => boolean {
  if (filter === undefined) return fallback;
  if (typeof filter === 'function') return filter;
  if (!Array.isArray(filter) || filter.some((g) => typeof g !== 'string'))
    throw new ArtifactInvalidError('include/exclude must be a function or an array of glob strings');
  return picomatch([...filter], { dot: true });
}

/**
 * The code files under `root` (relative paths, sorted), skipping symlinks, SKIPPED_FOLDERS and anything
 * under `skipDir` (the store itself when it lies inside the root).
 */
export async function listCodeFiles(
  root: string,
  options: { include?: PathFilter; exclude?: PathFilter; skipDir?: string },
): Promise<{ relativePath: string; source: string }[]> {
  const include = toPredicate(options.include, picomatch([...DEFAULT_CODE_INCLUDE], { dot: true }));
  const exclude = toPredicate(options.exclude, () => false);
  const found: { relativePath: string; source: string }[] = [];
  async function walk(dir: string): Promise<void> {
    for (const dirent of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, dirent.name);
      const relativePath = relative(root, full).split(sep).join('/');
      if (dirent.isDirectory()) {
        if (SKIPPED_FOLDERS.has(dirent.name)) continue;
        if (options.skipDir && isInside(options.skipDir, full)) continue;
        await walk(full);
      } else if (dirent.isFile() && include(relativePath) && !exclude(relativePath))
        found.push({ relativePath, source: full });
    }
  }
  await walk(root);
  return found.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}
