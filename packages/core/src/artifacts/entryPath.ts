import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ArtifactInvalidError } from './artifactErrors.js';

/**
 * Checks the name of an entry inside an artifact: a relative POSIX path with no '.', '..' or empty segments,
 * no backslash and no NUL byte, so that downloading it can never leave the download root.
 */
export function validateEntryPath(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new ArtifactInvalidError(`an artifact entry name must be a non-empty string, got ${JSON.stringify(name)}`);
  const shown = JSON.stringify(name);
  if (name.includes('\0')) throw new ArtifactInvalidError(`entry name ${shown} contains a NUL byte`);
  if (name.includes('\\'))
    throw new ArtifactInvalidError(`entry name ${shown} contains '\\'; use '/' to separate folders`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw new ArtifactInvalidError(`entry name ${shown} is absolute; entry names are relative to the artifact`);
  for (const segment of name.split('/')) {
    if (segment === '..') throw new ArtifactInvalidError(`entry name ${shown} contains '..'`);
    if (segment === '' || segment === '.')
      throw new ArtifactInvalidError(`entry name ${shown} has an empty or '.' segment`);
  }
  return name;
}

/** Joins a validated prefix (a folder inside the artifact) and a relative entry path. */
export function joinEntryPath(prefix: string | undefined, rest: string): string {
  return prefix ? `${prefix}/${rest}` : rest;
}

/** True when `child` (absolute) is `root` or lies inside it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Resolves an entry name under `root`, refusing any result outside it (defence against a tampered manifest). */
export function resolveEntryTarget(root: string, entryName: string): string {
  validateEntryPath(entryName);
  const target = resolve(root, ...entryName.split('/'));
  if (!isInside(root, target) || target === root)
    throw new ArtifactInvalidError(`entry ${JSON.stringify(entryName)} would be written outside ${root}`);
  return target;
}
