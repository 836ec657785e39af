import { createHash } from 'node:crypto';

/**
 * One file of an artifact version. Stored files have `ref: null` and their bytes in the object store under
 * `digest`. References keep their URI in `ref`: `file://` references are checksummed (digest and size set);
 * `http(s)://` and `s3://` references are recorded as given (digest and size null unless a checksum was given).
 */
export interface ManifestEntry {
  digest: string | null;
  size: number | null;
  ref: string | null;
}

/** The manifest of a version: entry name -> entry. */
export interface ArtifactManifest {
  entries: Record<string, ManifestEntry>;
}

/**
 * The digest of a manifest: sha256 over the entries sorted by path (byte order), one line per entry:
 * `path \0 digest \0 size \0 ref \n`, with null written as the empty string.
 */
export function computeManifestDigest(manifest: ArtifactManifest): string {
  const hash = createHash('sha256');
  const paths = Object.keys(manifest.entries).sort(compareBytes);
  for (const path of paths) {
    const e = manifest.entries[path];
    hash.update(`${path}\0${e.digest ?? ''}\0${e.size ?? ''}\0${e.ref ?? ''}\n`);
  }
  return hash.digest('hex');
}

/** Orders strings by their UTF-8 bytes, the same order in every language. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Sorts the entries of a manifest by path so that the JSON on disk is stable. */
export function sortManifest(manifest: ArtifactManifest): ArtifactManifest {
  const entries: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(manifest.entries).sort(compareBytes)) entries[path] = manifest.entries[path];
  return { entries };
}
