import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactInvalidError } from './artifactErrors.js';
import { isInside } from './entryPath.js';
import { isErrno } from './isErrno.js';

/** A regular file found under a directory: its path relative to the directory ('/'-separated) and on disk. */
export interface DirectoryFile {
  relativePath: string;
  source: string;
}

/**
 * Lists the regular files under `dir`, sorted. Symlinks are followed only when they resolve inside `dir`
 * (an escaping, dangling or looping symlink is an ArtifactInvalidError); sockets, FIFOs and devices are refused.
 */
export async function listDirectoryFiles(dir: string): Promise<DirectoryFile[]> {
  let root: string;
  try {
    root = await realpath(dir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new ArtifactInvalidError(`no directory at ${dir}`);
    throw error;
  }
  if (!(await stat(root)).isDirectory()) throw new ArtifactInvalidError(`${dir} is not a directory`);
  const files: DirectoryFile[] = [];
  await walk(root, '', [root]);
  return files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));

  async function walk(current: string, prefix: string, ancestors: string[]): Promise<void> {
    const dirents: Dirent[] = await readdir(current, { withFileTypes: true });
    for (const dirent of dirents) {
      const full = join(current, dirent.name);
      const relativePath = prefix ? `${prefix}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) await walk(full, relativePath, [...ancestors, full]);
      else if (dirent.isFile()) files.push({ relativePath, source: full });
      else if (dirent.isSymbolicLink()) await followLink(full, relativePath, ancestors);
      else
        throw new ArtifactInvalidError(
          `${full} is not a regular file, directory or symlink; remove it or add files one by one`,
        );
    }
  }

  async function followLink(link: string, relativePath: string, ancestors: string[]): Promise<void> {
    let target: string;
    try {
      target = await realpath(link);
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ELOOP'))
        throw new ArtifactInvalidError(`symlink ${link} points to nothing`);
      throw error;
    }
    if (!isInside(root, target))
      throw new ArtifactInvalidError(
        `symlink ${link} points outside ${dir} (to ${target}); copy the file in or add it with addFile()`,
      );
    const info = await stat(target);
    if (info.isFile()) files.push({ relativePath, source: target });
    else if (info.isDirectory()) {
      if (ancestors.includes(target)) throw new ArtifactInvalidError(`symlink ${link} makes a loop`);
      await walk(target, relativePath, [...ancestors, target]);
    } else throw new ArtifactInvalidError(`symlink ${link} points to something that is not a file or directory`);
  }
}
