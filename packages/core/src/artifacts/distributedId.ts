import { createHash } from 'node:crypto';
import { ArtifactInvalidError } from './artifactErrors.js';
import { checkToken } from './artifactNames.js';

const TOKEN = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The distributed id of upsertArtifact/finishArtifact: the one given, else (as wandb) the run's group. Every
 * process of a group derives the same id; a group that is not a valid id (spaces, slashes) is hashed.
 */
export function resolveDistributedId(given: unknown, group: string | null): string {
  if (given !== undefined) return checkToken(given, 'distributedId');
  if (group === null || group === '')
    throw new ArtifactInvalidError(
      'distributedId is required when the run has no group: pass { distributedId } or init({ group })',
    );
  if (TOKEN.test(group) && group !== '.' && group !== '..') return group;
  return `group-${createHash('sha256').update(group).digest('hex').slice(0, 16)}`;
}
