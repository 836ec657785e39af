import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolDatabase } from '../src/db/database.js';
import { type PostgresCluster, postgresUnavailable, startPostgresCluster } from './support/postgresCluster.js';

// Every connection of a replica busy past the pool's wait: a 503 the client retries, not a 500 INTERNAL (seen in
// the ingest bench under load, where 16 clients share 10 connections).
const skip = postgresUnavailable();
let cluster: PostgresCluster;
beforeAll(async () => {
  if (!skip) cluster = await startPostgresCluster();
});
afterAll(() => cluster?.stop());

describe.skipIf(skip)('a replica whose connections are all busy', () => {
  it('answers 503 UNAVAILABLE when no connection frees up in time', async () => {
    const db = poolDatabase(
      'postgres',
      new pg.Pool({ connectionString: cluster.url, max: 1, connectionTimeoutMillis: 200 }),
    );
    let release = () => {};
    let started = () => {};
    const holding = new Promise<void>((resolve) => (started = resolve));
    const held = db.transaction(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          started();
        }),
    );
    await holding; // the pool's one connection is checked out now
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    release();
    await held;
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await db.close();
  });
});
