import { join } from 'node:path';
import type { BlobStore } from './blobs/blobStore.js';
import { folderBlobStore } from './blobs/folderBlobStore.js';
import { s3BlobStore } from './blobs/s3BlobStore.js';
import { type Database, openPostgres } from './db/database.js';
import { migrate } from './db/migrate.js';
import { openPglite } from './db/pgliteDatabase.js';
import type { StorageChoice } from './serverOptions.js';

/** The database (migrated) and blob storage a server or an offline command works on. */
export async function openDatabase(choice: StorageChoice, maxConnections?: number): Promise<Database> {
  const db = choice.databaseUrl
    ? openPostgres(choice.databaseUrl, maxConnections)
    : await openPglite(join(choice.data, 'pglite'));
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

export function openBlobStore(choice: StorageChoice): BlobStore {
  return choice.s3 ? s3BlobStore(choice.s3) : folderBlobStore(join(choice.data, 'blobs'));
}
