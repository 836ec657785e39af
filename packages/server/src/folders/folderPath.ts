import { ServerError } from '../http/serverError.js';

/** A folder segment: the store's name alphabet (docs/PROTOCOL.md, "Names"). */
const SEGMENT = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_DEPTH = 16;

/** A folder path, checked and made absolute, and the project that holds its runs. */
export interface FolderPath {
  /** `/alice/cv/mnist` */
  path: string;
  segments: string[];
  /** The segments joined by `.`: `alice.cv.mnist` (a project name, at most 128 characters). */
  project: string;
}

function invalid(shown: string, why: string): ServerError {
  return new ServerError(400, 'INVALID_FOLDER', `folder ${shown} ${why}`);
}

/** True when `name` can be a folder segment (a user name is one). */
export function isFolderSegment(name: string): boolean {
  return SEGMENT.test(name) && name !== '.' && name !== '..';
}

/**
 * t9k's folder argument: an absolute path (`/team/cv`), or a relative one that lives under the caller's own
 * folder (`cv` -> `/<user>/cv`). Each segment uses the store's alphabet (no `.`/`..`, no NUL, no `\`), at most 16
 * segments, and the project name they make at most 128 characters: anything else is 400 INVALID_FOLDER.
 */
export function folderPath(raw: unknown, user: string): FolderPath {
  const shown = JSON.stringify(String(raw).slice(0, 200));
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048)
    throw invalid(shown, 'must be 1-2048 characters');
  if (raw.includes('\0')) throw invalid(shown, 'contains a NUL byte');
  if (raw.includes('\\')) throw invalid(shown, "contains '\\'");
  const relative = !raw.startsWith('/');
  const body = (relative ? raw : raw.slice(1)).replace(/\/$/, '');
  const segments = [...(relative ? [user] : []), ...body.split('/')];
  if (segments.length > MAX_DEPTH) throw invalid(shown, `is deeper than ${MAX_DEPTH} folders`);
  for (const segment of segments) {
    if (!isFolderSegment(segment)) {
      throw invalid(shown, "needs segments of 1-128 letters, digits, '-', '_' or '.' (not empty, '.' or '..')");
    }
  }
  const project = segments.join('.');
  if (project.length > 128) throw invalid(shown, 'is too long: its segments joined by "." exceed 128 characters');
  return { path: `/${segments.join('/')}`, segments, project };
}

/** The folder and each of its parents, outermost first (`/a`, `/a/b`, `/a/b/c`). */
export function withParents(folder: FolderPath): FolderPath[] {
  return folder.segments.map((_, i) => {
    const segments = folder.segments.slice(0, i + 1);
    return { path: `/${segments.join('/')}`, segments, project: segments.join('.') };
  });
}
