import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Artifact } from './artifact.js';
import { ArtifactInvalidError, ArtifactTypeMismatchError } from './artifactErrors.js';
import type { FilePolicy } from './draftEntry.js';
import { isErrno } from './isErrno.js';

const REFERENCE_URI = /^[a-z][a-z0-9+.-]*:\/\//i;

/** What logArtifact-like calls accept besides an Artifact: a name and type for a path. */
export interface PathArtifactOptions {
  name?: string;
  type?: string;
  policy?: FilePolicy;
}

/**
 * An Artifact for a path or URI, or the given Artifact after checking the options agree with it.
 */
export async function artifactFromPath(
  artifactOrPath: Artifact | string,
  options: PathArtifactOptions,
  runId: string,
): Promise<Artifact> {
  if (artifactOrPath instanceof Artifact) {
    if (options.name !== undefined && options.name !== artifactOrPath.name)
      throw new ArtifactInvalidError(
        `name '${options.name}' does not match the artifact's name '${artifactOrPath.name}'`,
      );
    if (options.type !== undefined && options.type !== artifactOrPath.type)
      throw new ArtifactTypeMismatchError(
        `type '${options.type}' does not match the artifact's type '${artifactOrPath.type}'`,
      );
    return artifactOrPath;
  }
  if (typeof artifactOrPath !== 'string' || !artifactOrPath)
    throw new ArtifactInvalidError('logArtifact expects an Artifact or a path');
  const artifact = new Artifact(
    options.name ?? defaultArtifactName(artifactOrPath, runId),
    options.type ?? 'unspecified',
  );
  if (REFERENCE_URI.test(artifactOrPath)) {
    await artifact.addReference(artifactOrPath);
    return artifact;
  }
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(artifactOrPath)).isDirectory();
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new ArtifactInvalidError(`nothing to log at ${artifactOrPath}`);
    throw error;
  }
  if (isDirectory) await artifact.addDir(artifactOrPath, { policy: options.policy });
  else await artifact.addFile(artifactOrPath, { policy: options.policy });
  return artifact;
}

/** wandb's default: `run-<runId>-<basename>`, with characters outside the name alphabet replaced. */
export function defaultArtifactName(path: string, runId: string): string {
  const base = REFERENCE_URI.test(path)
    ? (new URL(path).pathname.split('/').filter(Boolean).pop() ?? 'ref')
    : basename(resolve(path));
  return `run-${runId}-${base}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128);
}

/** logCode's default name: `source-<project>-<entry script relative to root>`. */
export function codeArtifactName(root: string, project: string): string {
  const entry = process.argv[1] ? resolve(process.argv[1]) : '';
  const rel = entry.startsWith(root) ? entry.slice(root.length + 1) : basename(entry);
  return `source-${project}-${rel || 'code'}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128);
}
