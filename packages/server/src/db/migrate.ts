import { ServerError } from '../http/serverError.js';
import type { Database } from './database.js';
import { MIGRATIONS, type Migration } from './schema.js';

/** The advisory lock every replica takes to migrate: 'runlog' in ASCII. */
const MIGRATION_LOCK = 0x72756e6c6f67;

/**
 * Brings the schema up to date. Replicas that start together queue on one session-level advisory lock, so each
 * migration is applied exactly once; the ones that waited find it recorded and skip it. A database already
 * migrated by a newer server is refused (SCHEMA_TOO_NEW) rather than misread.
 * Returns the versions applied by this call.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => r.version));
      const newest = Math.max(0, ...migrations.map((m) => m.version));
      const unknown = [...applied].filter((v) => v > newest);
      if (unknown.length > 0) {
        throw new ServerError(
          500,
          'SCHEMA_TOO_NEW',
          `the database has schema version ${Math.max(...unknown)}, newer than this server knows (${newest}): upgrade runlog`,
        );
      }
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    }
  });
}
