import { ServerError } from './serverError.js';

const SAFE_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** A project, run id or artifact name (docs/FORMAT.md's alphabet); anything else is a 400 before it reaches SQL. */
export function safeName(what: string, name: unknown): string {
  if (typeof name !== 'string' || !SAFE_NAME.test(name) || name === '.' || name === '..') {
    throw new ServerError(
      400,
      'INVALID_NAME',
      `${what} ${JSON.stringify(String(name).slice(0, 200))} is not allowed: use 1-128 letters, digits, '-', '_' or '.'`,
    );
  }
  return name;
}

/** A lowercase sha256 hex digest. */
export function safeDigest(digest: unknown): string {
  if (typeof digest !== 'string' || !SHA256.test(digest)) {
    throw new ServerError(
      400,
      'INVALID_DIGEST',
      `${JSON.stringify(String(digest).slice(0, 100))} is not a sha256 hex digest`,
    );
  }
  return digest;
}

/**
 * A file path inside a run folder or an artifact: relative, '/'-separated, no empty, '.' or '..' segment, no '\'
 * and no NUL (docs/FORMAT.md, manifest entries). Paths become blob keys and download targets on clients.
 */
export function safePath(path: unknown): string {
  const shown = JSON.stringify(String(path).slice(0, 200));
  const refuse = (why: string) => new ServerError(400, 'INVALID_PATH', `path ${shown} ${why}`);
  if (typeof path !== 'string' || path.length === 0 || path.length > 1024) throw refuse('must be 1-1024 characters');
  if (path.includes('\0')) throw refuse('contains a NUL byte');
  if (path.includes('\\')) throw refuse("contains '\\'");
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw refuse('is absolute');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw refuse("has an empty, '.' or '..' segment");
  }
  return path;
}
