import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { type Database, poolDatabase } from './database.js';
import { lockDataDir } from './dataDirLock.js';

/**
 * The embedded database: PGlite (PostgreSQL in WASM) in `<data>/db`, reached through node-postgres like a real
 * server. One process at a time may open a data folder (`<data>/server.lock`): PGlite is not multi-process.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(join(dataDir, 'db'));
    // PGlite is one connection: the pool hands it to one client at a time (transactions queue up).
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    return poolDatabase('pglite', pool, async () => {
      await pglite.close();
      unlock();
    });
  } catch (error) {
    unlock();
    throw error;
  }
}
