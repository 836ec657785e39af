import pg from 'pg';
import { ServerError } from '../http/serverError.js';

/** Anything that runs a statement: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * The server's SQL connection: a node-postgres pool, over PostgreSQL (>= 15) or over an embedded PGlite. Every
 * statement the server runs is plain PostgreSQL 15 SQL through `pg`, so both behave the same.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `work` in one transaction (BEGIN/COMMIT, ROLLBACK on any error). */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** A dedicated connection for work that must stay on one session (advisory locks). */
  withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Connection errors and server shutdowns: the request may be retried once the database is back. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (
    e.code &&
    (UNAVAILABLE_SQLSTATES.has(e.code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e.code))
  )
    return true;
  // pg-pool's "timeout exceeded when trying to connect": every connection busy for connectionTimeoutMillis (an
  // overloaded replica): the client backs off and retries, as for a restart.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    e.message ?? '',
  );
}

const ignoreError = () => {};

/**
 * A client out of the pool. While it is checked out the pool does not listen for its errors: PostgreSQL
 * terminating the connection between two statements (a restart) would be an uncaught 'error' event and end the
 * process. The statement that follows fails instead, and the client is released as broken.
 */
async function checkout(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  client.on('error', ignoreError);
  return client;
}

function release(client: pg.PoolClient, broken: boolean): void {
  client.removeListener('error', ignoreError);
  client.release(broken);
}

/** Wraps a pool; `onClose` releases what the pool runs on (PGlite). */
export function poolDatabase(kind: Database['kind'], pool: pg.Pool, onClose?: () => Promise<void>): Database {
  // An idle connection dropped by a restarting PostgreSQL must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isUnavailable(error))
        throw new ServerError(503, 'UNAVAILABLE', 'the database cannot be reached: retry later');
      throw error;
    }
  };
  return {
    kind,
    query: (text, params) => guard(() => pool.query(text, params)),
    transaction: (work) =>
      guard(async () => {
        const client = await checkout(pool);
        let broken = false;
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          broken = isUnavailable(error);
          if (!broken) await client.query('ROLLBACK').catch(() => {});
          throw error;
        } finally {
          release(client, broken);
        }
      }),
    withClient: (work) =>
      guard(async () => {
        const client = await checkout(pool);
        try {
          return await work(client);
        } finally {
          release(client, false);
        }
      }),
    async close() {
      await pool.end();
      await onClose?.();
    },
  };
}

/** PostgreSQL >= 15 at `url` (postgres://user:pass@host:port/db). */
export function openPostgres(url: string, maxConnections = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, connectionTimeoutMillis: 10_000 });
  return poolDatabase('postgres', pool);
}
