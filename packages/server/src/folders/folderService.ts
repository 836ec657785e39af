import { LOOPBACK_ADMIN, type Principal } from '../auth/roles.js';
import type { Queryable } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import { type FolderPath, isFolderSegment, withParents } from './folderPath.js';

/**
 * Whose folder a relative path lives under (t9k's `/<current-user>/`): the token's label when it is a valid
 * folder segment (`runlog server token create --label alice`), else `token-<id>` (each token its own home), and
 * `local` on a --no-auth server.
 */
export async function folderUser(db: Queryable, principal: Principal): Promise<string> {
  if (principal.tokenId === LOOPBACK_ADMIN.tokenId) return 'local';
  const { rows } = await db.query<{ label: string }>('SELECT label FROM tokens WHERE id = $1', [principal.tokenId]);
  const label = rows[0]?.label ?? '';
  return isFolderSegment(label) ? label : `token-${principal.tokenId}`;
}

/** The folder's row, when it exists. */
export async function findFolder(db: Queryable, folder: FolderPath, lock = false): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM folders WHERE path = $1${lock ? ' FOR UPDATE' : ''}`, [folder.path]);
  return rows.length > 0;
}

export function folderNotFound(folder: FolderPath): ServerError {
  return new ServerError(
    404,
    'FOLDER_NOT_FOUND',
    `folder ${folder.path} does not exist: make it (makeFolder: true, or POST /api/v1/folders)`,
  );
}

/**
 * Makes the folder and its missing parents (t9k's make_folder) and answers the paths it made. Call it in a
 * transaction: a path whose project another path already holds (`/a.b/c` and `/a/b.c` are both `a.b.c`) is
 * 409 FOLDER_CONFLICT, and nothing is made.
 */
export async function makeFolder(db: Queryable, folder: FolderPath): Promise<string[]> {
  const made: string[] = [];
  for (const level of withParents(folder)) {
    const inserted = await db.query(
      'INSERT INTO folders (path, project) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING path',
      [level.path, level.project],
    );
    if (inserted.rows.length > 0) {
      made.push(level.path);
      continue;
    }
    const { rows } = await db.query<{ path: string }>('SELECT path FROM folders WHERE project = $1', [level.project]);
    if (rows[0] && rows[0].path !== level.path) {
      throw new ServerError(
        409,
        'FOLDER_CONFLICT',
        `folder ${level.path} would hold its runs in project ${level.project}, which folder ${rows[0].path} already uses: pick another name`,
      );
    }
  }
  return made;
}
