import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArtifactInvalidError } from './artifactErrors.js';
import type { DraftEntry } from './draftEntry.js';
import { joinEntryPath, validateEntryPath } from './entryPath.js';
import { hashFile } from './hashFile.js';
import { isErrno } from './isErrno.js';
import { listDirectoryFiles } from './listDirectoryFiles.js';
import type { ManifestEntry } from './manifest.js';

/**
 * The draft entries of a `file://` reference: one for a file, one per file under a folder (under `name/`),
 * checksummed now unless `checksum` is false; the bytes stay where they are.
 */
export async function fileReferenceEntries(
  url: URL,
  name: string | undefined,
  checksum: boolean,
): Promise<[string, DraftEntry][]> {
  const path = fileURLToPath(url);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new ArtifactInvalidError(`addReference: nothing at ${url.href}`);
    throw error;
  }
  const describe = async (file: string): Promise<ManifestEntry> => {
    const ref = pathToFileURL(file).href;
    if (!checksum) return { digest: null, size: (await stat(file)).size, ref };
    const { digest, bytes } = await hashFile(file);
    return { digest, size: bytes, ref };
  };
  if (info.isFile())
    return [[validateEntryPath(name ?? basename(path)), { kind: 'reference', entry: await describe(path) }]];
  const prefix = name === undefined || name === '' ? undefined : validateEntryPath(name);
  const added: [string, DraftEntry][] = [];
  for (const f of await listDirectoryFiles(path))
    added.push([
      validateEntryPath(joinEntryPath(prefix, f.relativePath)),
      { kind: 'reference', entry: await describe(f.source) },
    ]);
  return added;
}
