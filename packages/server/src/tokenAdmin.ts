import { isRole, type Role } from './auth/roles.js';
import { type CreatedToken, createToken } from './auth/tokens.js';
import { safeName } from './http/names.js';
import { ServerError } from './http/serverError.js';
import { openDatabase } from './openStorage.js';
import { resolveStorage } from './serverOptions.js';

export interface OfflineTokenOptions {
  /** The project the token is for; omitted: every project. */
  project?: string;
  role: Role;
  label?: string;
  /** The server's data folder (embedded database), as `runlog server --data`. */
  data?: string;
  /** The server's PostgreSQL (default $RUNLOG_DATABASE_URL). */
  databaseUrl?: string;
}

/**
 * Creates a token straight in the server's database, no server running (`runlog server token create`). With
 * the embedded database the data folder must not be in use by a server (DATA_LOCKED).
 */
export async function createTokenOffline(options: OfflineTokenOptions): Promise<CreatedToken> {
  if (!isRole(options.role)) throw new ServerError(400, 'INVALID_ARGUMENT', 'role must be read, write or admin');
  const project = options.project === undefined ? null : safeName('project', options.project);
  const db = await openDatabase(resolveStorage({ data: options.data, databaseUrl: options.databaseUrl }), 1);
  try {
    return await createToken(db, { project, role: options.role, label: options.label });
  } finally {
    await db.close();
  }
}
