import { ArtifactInvalidError } from './artifactErrors.js';

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
const VERSION_PATTERN = /^v(0|[1-9][0-9]*)$/;
const DIGEST_PATTERN = /^[0-9a-f]{64}$/;
const MAX_NAME_LENGTH = 128;

export function checkToken(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new ArtifactInvalidError(`${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  if (value.length > MAX_NAME_LENGTH)
    throw new ArtifactInvalidError(`${what} "${value.slice(0, 40)}…" is longer than ${MAX_NAME_LENGTH} characters`);
  if (!NAME_PATTERN.test(value) || value === '.' || value === '..')
    throw new ArtifactInvalidError(
      `${what} "${value}" may contain only letters, digits, '-', '_' and '.' (and is not '.' or '..')`,
    );
  return value;
}

/** Checks an artifact (collection) name: letters, digits, '-', '_', '.'. Returns it. */
export function validateArtifactName(name: unknown): string {
  return checkToken(name, 'artifact name');
}

/** Checks an artifact type such as 'dataset' or 'model'. */
export function validateArtifactType(type: unknown): string {
  return checkToken(type, 'artifact type');
}

/** Checks a project name (same alphabet as artifact names). */
export function validateProjectName(project: unknown): string {
  return checkToken(project, 'project name');
}

/** Checks an alias: same alphabet as names and not shaped like a version ('v3'), which would be ambiguous. */
export function validateAlias(alias: unknown): string {
  const value = checkToken(alias, 'alias');
  if (VERSION_PATTERN.test(value) || DIGEST_PATTERN.test(value))
    throw new ArtifactInvalidError(`alias "${value}" looks like a version or a digest; choose another alias`);
  return value;
}

/** Checks a tag (same alphabet as names). */
export function validateTag(tag: unknown): string {
  return checkToken(tag, 'tag');
}

/** Validates a list of aliases and removes duplicates, keeping order. */
export function normalizeAliases(aliases: readonly unknown[] | undefined): string[] {
  if (aliases === undefined) return [];
  if (!Array.isArray(aliases)) throw new ArtifactInvalidError('aliases must be an array of strings');
  return [...new Set(aliases.map(validateAlias))];
}

/** Validates a list of tags and removes duplicates, keeping order. */
export function normalizeTags(tags: readonly unknown[] | undefined): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw new ArtifactInvalidError('tags must be an array of strings');
  return [...new Set(tags.map(validateTag))];
}

/** What an artifact reference string names: a collection and one of its versions. */
export interface ArtifactRef {
  project: string;
  name: string;
  /** 'latest' when none was given. */
  selector: ArtifactSelector;
}

export type ArtifactSelector =
  | { kind: 'version'; version: number }
  | { kind: 'alias'; alias: string }
  | { kind: 'digest'; digest: string };

/** Formats a selector back into the `:suffix` of a reference. */
export function formatSelector(selector: ArtifactSelector): string {
  if (selector.kind === 'version') return `v${selector.version}`;
  if (selector.kind === 'alias') return selector.alias;
  return selector.digest;
}

/**
 * Parses `name`, `name:v3`, `name:alias`, `name:<sha256 digest>`, `project/name:alias` or
 * `entity/project/name:alias` (the entity is ignored: the local store has none).
 */
export function parseArtifactRef(ref: unknown, defaultProject?: string): ArtifactRef {
  if (typeof ref !== 'string' || ref.length === 0)
    throw new ArtifactInvalidError(`an artifact reference must be a non-empty string, got ${JSON.stringify(ref)}`);
  const colon = ref.lastIndexOf(':');
  const path = colon === -1 ? ref : ref.slice(0, colon);
  const suffix = colon === -1 ? 'latest' : ref.slice(colon + 1);
  const parts = path.split('/');
  if (parts.length > 3)
    throw new ArtifactInvalidError(`"${ref}" is not an artifact reference: use name, name:alias or project/name:v3`);
  const name = validateArtifactName(parts[parts.length - 1]);
  const projectPart = parts.length >= 2 ? parts[parts.length - 2] : defaultProject;
  if (projectPart === undefined)
    throw new ArtifactInvalidError(`"${ref}" names no project: use project/name:alias outside a run`);
  const project = validateProjectName(projectPart);
  let selector: ArtifactSelector;
  if (VERSION_PATTERN.test(suffix)) selector = { kind: 'version', version: Number(suffix.slice(1)) };
  else if (DIGEST_PATTERN.test(suffix)) selector = { kind: 'digest', digest: suffix };
  else selector = { kind: 'alias', alias: checkToken(suffix, 'alias') };
  return { project, name, selector };
}
