import { randomBytes } from 'node:crypto';
import { chmod, copyFile, lstat, mkdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArtifactInvalidError, IntegrityError, type IntegrityProblem } from './artifactErrors.js';
import { isInside, resolveEntryTarget } from './entryPath.js';
import { HashWorkers } from './hashWorkers.js';
import { isErrno } from './isErrno.js';
import type { ArtifactManifest, ManifestEntry } from './manifest.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import type { ObjectStore } from './objectStore.js';

const PARALLEL_FILES = 3;

/** True for references that are recorded only (http, https, s3...): runlog never fetches them. */
export function isRemoteReference(entry: ManifestEntry): boolean {
  return entry.ref !== null && !entry.ref.startsWith('file:');
}

/** Where the bytes of an entry are read from: its object, or the referenced local file. */
export function entrySource(entry: ManifestEntry, objects: ObjectStore): string | undefined {
  if (entry.ref === null) return entry.digest ? objects.objectPath(entry.digest) : undefined;
  if (entry.ref.startsWith('file:')) return fileURLToPath(entry.ref);
  return undefined;
}

/** Checks one file against its manifest entry; returns the problem or undefined. */
async function checkFile(path: string, name: string, entry: ManifestEntry): Promise<IntegrityProblem | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return { path: name, reason: 'missing', detail: `${path} is missing` };
    throw error;
  }
  if (entry.size !== null && size !== entry.size)
    return { path: name, reason: 'size', detail: `${path} has ${size} bytes, the manifest says ${entry.size}` };
  if (entry.digest === null) return undefined;
  const { digest } = await HashWorkers.shared().run({ op: 'hash', source: path });
  if (digest !== entry.digest)
    return { path: name, reason: 'digest', detail: `${path} has sha256 ${digest}, the manifest says ${entry.digest}` };
  return undefined;
}

/** True when `path` is a regular file (not a symlink) with the entry's size and digest. */
async function matchesEntry(path: string, entry: ManifestEntry): Promise<boolean> {
  if (entry.digest === null) return false;
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile() || info.size !== entry.size) return false;
  const { digest } = await HashWorkers.shared().run({ op: 'hash', source: path });
  return digest === entry.digest;
}

/**
 * Re-hashes every checksummed entry: the stored objects (and referenced local files), or, with `root`, a
 * downloaded copy. Throws an IntegrityError listing every mismatch.
 */
export async function verifyEntries(manifest: ArtifactManifest, objects: ObjectStore, root?: string): Promise<void> {
  const names = Object.keys(manifest.entries).filter((name) => !isRemoteReference(manifest.entries[name]));
  const problems = await mapWithConcurrency(names, PARALLEL_FILES, async (name) => {
    const entry = manifest.entries[name];
    const path = root === undefined ? entrySource(entry, objects) : resolveEntryTarget(root, name);
    if (path === undefined) return undefined;
    return checkFile(path, name, entry);
  });
  const found = problems.filter((p): p is IntegrityProblem => p !== undefined);
  if (found.length) throw new IntegrityError(`artifact does not match its manifest (${found.length} entries)`, found);
}

/** What `download()` copies. */
export interface DownloadOptions {
  /**
   * false: copy only the files stored in the artifact, skipping `file://` references. A reference is read from
   * the path its manifest names, on this machine: a manifest from someone else can name any file you can read
   * (with no checksum, nothing is verified). Default true.
   */
  references?: boolean;
}

/**
 * Copies entries under `root`, each through a temp file that is hashed before it is renamed into place, so
 * a corrupted object never lands as a file. Entry names are re-checked, and every folder on the way is checked
 * before anything is created: a symlink that leads outside `root` is refused, and nothing is written or created
 * outside it. Remote references are skipped.
 */
export async function downloadEntries(
  manifest: ArtifactManifest,
  objects: ObjectStore,
  root: string,
  names: readonly string[] = Object.keys(manifest.entries),
  options: DownloadOptions = {},
): Promise<string[]> {
  const skipped = (entry: ManifestEntry) =>
    isRemoteReference(entry) || (options.references === false && entry.ref !== null);
  const wanted = names.filter((name) => !skipped(manifest.entries[name]));
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  // Validate every name, and every folder that exists already on its way, before writing anything.
  const targets = wanted.map((name) => resolveEntryTarget(realRoot, name));
  for (const [index, name] of wanted.entries()) await insideFolder(realRoot, targets[index], name, root, false);
  const problems: IntegrityProblem[] = [];
  const written = await mapWithConcurrency(wanted, PARALLEL_FILES, async (name, index) => {
    const entry = manifest.entries[name];
    const source = entrySource(entry, objects);
    if (source === undefined) throw new ArtifactInvalidError(`entry ${name} has no digest and cannot be downloaded`);
    const parent = await insideFolder(realRoot, targets[index], name, root, true);
    const target = join(parent, basename(targets[index]));
    // A file already there with the right bytes (an earlier download) is kept: hashing is cheaper than writing.
    if (await matchesEntry(target, entry)) return target;
    const temp = join(parent, `.runlog-download-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await copyFile(source, temp);
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      problems.push({ path: name, reason: 'missing', detail: `${source} is missing` });
      return undefined;
    }
    try {
      const problem = await checkFile(temp, name, entry);
      if (problem) {
        problems.push({ ...problem, detail: problem.detail.replace(temp, source) });
        return undefined;
      }
      await chmod(temp, 0o644);
      await rename(temp, target);
      return target;
    } finally {
      await unlink(temp).catch(() => {});
    }
  });
  if (problems.length)
    throw new IntegrityError(`download to ${root} failed: ${problems.length} entries do not match`, problems);
  return written.filter((p): p is string => p !== undefined);
}

/**
 * The real folder `target` goes in, walked one folder at a time from `realRoot`: a folder that exists is
 * resolved (a symlink must stay inside the root), one that does not is created only when `create` is set, and
 * only inside the root. So a symlink planted in the root is refused before anything is created through it.
 */
async function insideFolder(realRoot: string, target: string, name: string, root: string, create: boolean) {
  let current = realRoot;
  for (const segment of relative(realRoot, dirname(target)).split(sep).filter(Boolean)) {
    const next = join(current, segment);
    let real: string;
    try {
      real = await realpath(next);
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      if (!create) return current; // nothing further exists yet: nothing to check
      await mkdir(next).catch((mkdirError: unknown) => {
        if (!isErrno(mkdirError, 'EEXIST')) throw mkdirError;
      });
      real = await realpath(next);
    }
    if (!isInside(realRoot, real))
      throw new ArtifactInvalidError(`entry ${name} would be written outside ${root} (through a symlink in it)`);
    if (!(await stat(real)).isDirectory())
      throw new ArtifactInvalidError(`entry ${name} needs a folder where ${next} is a file`);
    current = real;
  }
  return current;
}
